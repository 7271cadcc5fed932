package org.dragonflymle.config.loader;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import org.dragonflymle.config.EndpointUri;
import org.dragonflymle.config.OutputSpec;
import org.luaj.vm2.LuaValue;

/**
 * Reads one entry of {@code outputs}. A relative path ({@code file://alerts.log}, also {@code
 * ipc://}/{@code unix://}) is resolved under LOGDIR, as the C engine writes its files there.
 */
final class OutputEntryReader {

    static final Set<String> FIELDS = Set.of("tag", "uri");

    private final Path logDir;
    private final TagRegistry outputTags;
    private final Consumer<String> warn;

    OutputEntryReader(Path logDir, TagRegistry outputTags, Consumer<String> warn) {
        this.logDir = logDir;
        this.outputTags = outputTags;
        this.warn = warn;
    }

    /**
     * @return the output, or {@code null} when the entry has a problem (then added to {@code
     *     problems})
     */
    OutputSpec read(int index, LuaValue value, Problems problems) {
        EntryRef ref = new EntryRef("outputs", index, null);
        try {
            LuaEntry entry = LuaEntry.of(value, "{ tag=\"alerts\", uri=\"file://alerts.log\" }");
            ref = ref.withTag(TagRegistry.read(entry, FIELDS));
            outputTags.claim(ref.tag(), ref);
            List<String> unknown = entry.unknownFields(FIELDS);
            if (!unknown.isEmpty()) {
                warn.accept(
                        ref.describe()
                                + ": unknown fields "
                                + String.join(", ", unknown)
                                + " ignored (a typo?)");
            }
            String raw = entry.requiredString("uri", FIELDS);
            try {
                EndpointUri uri =
                        EndpointUri.parse(raw, EndpointUri.Direction.OUTPUT).resolveAgainst(logDir);
                return new OutputSpec(index, ref.tag(), uri.toUriString());
            } catch (IllegalArgumentException e) {
                throw new InvalidEntry("uri: " + e.getMessage());
            }
        } catch (InvalidEntry e) {
            problems.add(ref, e.getMessage());
            return null;
        }
    }
}
