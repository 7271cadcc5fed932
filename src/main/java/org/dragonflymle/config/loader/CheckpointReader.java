package org.dragonflymle.config.loader;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.dragonflymle.config.CheckpointSpec;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;

/**
 * Reads {@code checkpoint = { interval = "10s", dir = "file:///var/lib/dragonfly/checkpoints" }}.
 * Both fields are optional (the job chooses defaults). {@code dir} is any URI a Flink file system
 * understands, or an absolute path; a relative {@code file://} directory is refused because
 * checkpoints must survive a restart from another working directory.
 */
final class CheckpointReader {

    static final Set<String> FIELDS = Set.of("interval", "dir");

    private static final Pattern URI_SCHEME = Pattern.compile("[A-Za-z][A-Za-z0-9+.-]*://.*");

    private CheckpointReader() {}

    static CheckpointSpec read(LuaValue value, Consumer<String> warn) throws InvalidEntry {
        if (value.isnil()) {
            return CheckpointSpec.defaults();
        }
        if (!value.istable()) {
            throw new InvalidEntry(
                    "checkpoint must be a table like { interval = \"10s\", dir = \"file:///...\" },"
                            + " got "
                            + LuaValues.describe(value));
        }
        LuaEntry entry = new LuaEntry((LuaTable) value, "checkpoint.");
        List<String> unknown = entry.unknownFields(FIELDS);
        if (!unknown.isEmpty()) {
            warn.accept(
                    "checkpoint: unknown fields "
                            + String.join(", ", unknown)
                            + " ignored (known: dir, interval)");
        }
        Duration interval =
                entry.has("interval")
                        ? DurationParser.parse(entry.raw("interval"), "checkpoint.interval")
                        : null;
        String dir = entry.optionalString("dir");
        return new CheckpointSpec(interval, dir == null ? null : directory(dir));
    }

    private static String directory(String dir) throws InvalidEntry {
        if (URI_SCHEME.matcher(dir).matches()) {
            if (dir.startsWith("file://") && !dir.startsWith("file:///")) {
                throw new InvalidEntry(
                        "checkpoint.dir "
                                + LuaValues.quote(dir)
                                + " must be absolute, e.g. file:///var/lib/dragonfly/checkpoints");
            }
            return dir;
        }
        if (dir.startsWith("/")) {
            return "file://" + Path.of(dir).normalize();
        }
        throw new InvalidEntry(
                "checkpoint.dir "
                        + LuaValues.quote(dir)
                        + " must be an absolute path or a URI like"
                        + " file:///var/lib/dragonfly/checkpoints");
    }
}
