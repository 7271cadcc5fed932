package org.dragonflymle.connector.file;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;

/**
 * Chooses how a {@code zfile://} input is read, and refuses at config time what cannot work. A
 * {@code zfile://} path is gzip whatever its name: a {@code .gz}/{@code .gzip} name is decompressed
 * by {@code FileSource}, any other name by our {@linkplain EventLineFormat#gunzipping own} reader.
 * Refused: a name of another compression ({@code .bz2}, {@code .xz}, {@code .deflate}) and an
 * existing file that does not start with the gzip magic bytes. A file that does not exist yet is
 * checked when the job opens it.
 */
public final class GzipInput {

    private static final Set<String> DECOMPRESSED_BY_FILE_SOURCE = Set.of("gz", "gzip");
    private static final Set<String> OTHER_COMPRESSIONS = Set.of("bz2", "xz", "deflate");

    private GzipInput() {}

    /**
     * @throws IllegalArgumentException naming why the file cannot be read as gzip
     */
    public static EventLineFormat format(Path path, int maxLineBytes) {
        String name = path.getFileName() == null ? "" : path.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String ext = dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
        if (OTHER_COMPRESSIONS.contains(ext)) {
            throw new IllegalArgumentException(
                    "zfile:// reads gzip files, and ." + ext + " is another compression");
        }
        if (Files.isRegularFile(path) && !startsWithGzipMagic(path)) {
            throw new IllegalArgumentException(
                    path + " is not gzip-compressed (use file:// for an uncompressed file)");
        }
        return DECOMPRESSED_BY_FILE_SOURCE.contains(ext)
                ? new EventLineFormat(maxLineBytes)
                : EventLineFormat.gunzipping(maxLineBytes);
    }

    private static boolean startsWithGzipMagic(Path path) {
        try (InputStream in = Files.newInputStream(path)) {
            byte[] magic = in.readNBytes(2);
            return magic.length == 2 && (magic[0] & 0xff) == 0x1f && (magic[1] & 0xff) == 0x8b;
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + path + ": " + e.getMessage(), e);
        }
    }
}
