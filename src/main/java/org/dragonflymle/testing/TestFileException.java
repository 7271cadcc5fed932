package org.dragonflymle.testing;

/** A test file that cannot be run: it does not compile, fails, or has a field wrong. */
final class TestFileException extends Exception {
    TestFileException(String message) {
        super(message);
    }
}
