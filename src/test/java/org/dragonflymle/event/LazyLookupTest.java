package org.dragonflymle.event;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.dragonflymle.testutils.EveSamples;
import org.junit.jupiter.api.Test;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;

/** Looking up one field decodes the members up to it, and answers as the full decode would. */
class LazyLookupTest {

    private static LazyJsonTable decode(String json) {
        byte[] b = json.getBytes(StandardCharsets.UTF_8);
        try {
            new JsonValidator(512).validate(b, 0, b.length);
        } catch (JsonFormatException e) {
            throw new AssertionError(json, e);
        }
        return (LazyJsonTable) JsonDecoder.decode(b, 0, b.length);
    }

    private static String encode(LuaValue v) {
        return new String(new LuaJsonWriter().encode(v), StandardCharsets.UTF_8);
    }

    @Test
    void anEarlyFieldIsReadWithoutDecodingTheMembersAfterIt() {
        LazyJsonTable msg =
                decode(
                        "{\"timestamp\":\"t\",\"event_type\":\"dns\",\"dns\":{\"rrname\":\"x\"},\"n\":1}");

        assertThat(msg.get("event_type").tojstring()).isEqualTo("dns");
        assertThat(msg.decodedCount()).isEqualTo(2);
        assertThat(msg.get("timestamp").tojstring()).isEqualTo("t");
        assertThat(msg.decodedCount()).isEqualTo(2);
        assertThat(msg.rawget(LuaValue.valueOf("dns")).get("rrname").tojstring()).isEqualTo("x");
        assertThat(msg.decodedCount()).isEqualTo(3);
    }

    @Test
    void everyFieldOfEveryRealLineReadsAsTheFullDecodeHasIt() {
        for (String line : EveSamples.devLines()) {
            LazyJsonTable full = decode(line);
            LuaValue[] keys = full.keys();
            for (LuaValue key : keys) {
                LazyJsonTable lazy = decode(line);
                LuaValue value = lazy.get(key);
                LuaValue expected = full.get(key);
                assertThat(value.istable() ? encode(value) : value.tojstring())
                        .as("%s in %s", key, line)
                        .isEqualTo(expected.istable() ? encode(expected) : expected.tojstring());
            }
        }
    }

    @Test
    void aScriptReadingManyFieldsGetsOneFullDecodeAfterAFewLookAheads() {
        LazyJsonTable msg = decode("{\"a\":1,\"b\":2,\"c\":3,\"d\":4,\"e\":5,\"f\":6,\"g\":7}");

        for (String key : new String[] {"a", "b", "c", "d"}) {
            msg.get(key);
        }
        assertThat(msg.decodedCount()).isEqualTo(4);
        assertThat(msg.get("a").toint()).isEqualTo(1);
        assertThat(msg.decodedCount()).isEqualTo(7);
        assertThat(msg.get("g").toint()).isEqualTo(7);
    }

    @Test
    void aLaterDuplicateWinsAsInTheFullDecode() {
        assertThat(
                        decode("{\"a\":1,\"event_type\":\"x\",\"b\":2,\"event_type\":\"y\"}")
                                .get("event_type")
                                .tojstring())
                .isEqualTo("y");
        assertThat(
                        decode("{\"event_type\":\"x\",\"event\\u005ftype\":\"y\"}")
                                .get("event_type")
                                .tojstring())
                .isEqualTo("y");
    }

    @Test
    void theSameKeyNestedFurtherOnDoesNotChangeTheAnswer() {
        LazyJsonTable msg = decode("{\"event_type\":\"x\",\"inner\":{\"event_type\":\"y\"}}");

        assertThat(msg.get("event_type").tojstring()).isEqualTo("x");
        assertThat(msg.get("inner").get("event_type").tojstring()).isEqualTo("y");
    }

    @Test
    void aTableReadEarlyIsTheSameTableAfterTheFullDecode() {
        LazyJsonTable msg = decode("{\"dns\":{\"rrname\":\"x\"},\"n\":1,\"m\":2}");

        LuaValue dns = msg.get("dns");
        dns.set("rrname", LuaValue.valueOf("changed"));
        LuaValue seen = LuaValue.NIL;
        for (Varargs kv = msg.next(LuaValue.NIL); !kv.arg1().isnil(); kv = msg.next(kv.arg1())) {
            if (kv.arg1().tojstring().equals("dns")) {
                seen = kv.arg(2);
            }
        }

        assertThat(seen).isSameAs(dns);
        assertThat(encode(msg)).isEqualTo("{\"dns\":{\"rrname\":\"changed\"},\"n\":1,\"m\":2}");
    }

    @Test
    void writesAndMissingKeysAfterALookupBehaveAsBefore() {
        LazyJsonTable msg = decode("{\"a\":1,\"b\":[],\"c\":null}");

        assertThat(msg.get("a").toint()).isEqualTo(1);
        assertThat(msg.get("zzz").isnil()).isTrue();
        msg.set("d", LuaValue.valueOf(4));
        msg.set("a", LuaValue.valueOf(5));

        assertThat(encode(msg)).isEqualTo("{\"a\":5,\"b\":[],\"c\":null,\"d\":4}");
        assertThat(((LuaTable) msg).keyCount()).isEqualTo(4);
    }
}
