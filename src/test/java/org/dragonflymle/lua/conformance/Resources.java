package org.dragonflymle.lua.conformance;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

final class Resources {

    private Resources() {}

    static void copy(String name, Path dir) throws IOException {
        copy(name, dir, name);
    }

    static void copy(String name, Path dir, String as) throws IOException {
        try (InputStream in = Resources.class.getResourceAsStream("/conformance/" + name)) {
            Files.createDirectories(dir);
            Files.copy(in, dir.resolve(as), StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
