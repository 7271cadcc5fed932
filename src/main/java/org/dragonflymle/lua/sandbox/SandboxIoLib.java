package org.dragonflymle.lua.sandbox;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.jse.JseIoLib;

/**
 * The {@code io} library as scripts get it: files open only where {@link ScriptPaths} allows (reads
 * under ROOT, writes under LOGDIR, relative names against ROOT); a refusal is the usual {@code nil,
 * message} of {@code io.open}. No {@code popen}, no {@code tmpfile}, no standard input. After
 * {@code setup()} every {@code io.*} function raises an error, even through a reference the script
 * kept; files opened during setup stay usable.
 *
 * <p>Files opened for reading only are buffered: LuaJ reads them a byte per system call, which
 * makes {@code io.lines} over a large list in {@code setup()} take minutes.
 */
public final class SandboxIoLib extends JseIoLib {

    private final ScriptPaths paths;
    private final SandboxState state;

    public SandboxIoLib(ScriptPaths paths, SandboxState state) {
        this.paths = paths;
        this.state = state;
    }

    @Override
    public LuaValue call(LuaValue modname, LuaValue env) {
        LuaValue io = super.call(modname, env);
        io.set("popen", NIL);
        io.set("tmpfile", NIL);
        return io;
    }

    @Override
    protected File openFile(
            String filename,
            boolean readMode,
            boolean appendMode,
            boolean updateMode,
            boolean binaryMode)
            throws IOException {
        boolean writes = !readMode || updateMode;
        Path p = writes ? paths.forWrite(filename) : paths.forRead(filename);
        if (!writes) {
            return new BufferedReadFile(new RandomAccessFile(p.toFile(), "r"));
        }
        if (readMode) {
            // "r+": LuaJ would open it read-only; open for writing without truncating instead
            File f = super.openFile(p.toString(), false, true, true, binaryMode);
            f.seek("set", 0);
            return f;
        }
        return super.openFile(p.toString(), false, appendMode, updateMode, binaryMode);
    }

    @Override
    protected File openProgram(String prog, String mode) throws IOException {
        throw new IOException("io.popen is not available to scripts");
    }

    @Override
    protected File tmpFile() throws IOException {
        throw new IOException("io.tmpfile is not available to scripts");
    }

    @Override
    protected File wrapStdin() throws IOException {
        throw new IOException("standard input is not available to scripts");
    }

    private void checkPhase() {
        if (!state.ioAllowed()) {
            throw new LuaError("io is not available in loop()");
        }
    }

    @Override
    public Varargs _io_flush() throws IOException {
        checkPhase();
        return super._io_flush();
    }

    @Override
    public Varargs _io_close(LuaValue file) throws IOException {
        checkPhase();
        return super._io_close(file);
    }

    @Override
    public Varargs _io_input(LuaValue file) {
        checkPhase();
        return super._io_input(file);
    }

    @Override
    public Varargs _io_output(LuaValue filename) {
        checkPhase();
        return super._io_output(filename);
    }

    @Override
    public Varargs _io_open(String filename, String mode) throws IOException {
        checkPhase();
        if (mode.isEmpty() || "rwa".indexOf(mode.charAt(0)) < 0) {
            // like fopen, which LuaJIT leaves the mode to
            return varargsOf(NIL, valueOf(filename + ": Invalid argument"));
        }
        return super._io_open(filename, mode);
    }

    @Override
    public Varargs _io_lines(String filename) {
        checkPhase();
        return super._io_lines(filename);
    }

    @Override
    public Varargs _io_read(Varargs args) throws IOException {
        checkPhase();
        return super._io_read(args);
    }

    @Override
    public Varargs _io_write(Varargs args) throws IOException {
        checkPhase();
        return super._io_write(args);
    }

    @Override
    public Varargs _io_popen(String prog, String mode) throws IOException {
        checkPhase();
        return super._io_popen(prog, mode);
    }

    @Override
    public Varargs _io_tmpfile() throws IOException {
        checkPhase();
        return super._io_tmpfile();
    }

    /** A read-only file with an 8 KiB buffer over a {@link RandomAccessFile}. */
    private final class BufferedReadFile extends File {
        private final RandomAccessFile file;
        private final byte[] buf = new byte[8192];
        private int pos;
        private int len;
        private boolean closed;

        BufferedReadFile(RandomAccessFile file) {
            this.file = file;
        }

        @Override
        public String tojstring() {
            return "file (0x" + Integer.toHexString(hashCode()) + ")";
        }

        @Override
        public void write(LuaString string) throws IOException {
            throw new IOException("file not opened for writing");
        }

        @Override
        public void flush() {}

        @Override
        public boolean isstdfile() {
            return false;
        }

        @Override
        public void close() throws IOException {
            closed = true;
            file.close();
        }

        @Override
        public boolean isclosed() {
            return closed;
        }

        @Override
        public int seek(String option, int bytecount) throws IOException {
            long current = file.getFilePointer() - (len - pos);
            long target;
            if ("set".equals(option)) {
                target = bytecount;
            } else if ("end".equals(option)) {
                target = file.length() + bytecount;
            } else {
                target = current + bytecount;
            }
            file.seek(target);
            pos = 0;
            len = 0;
            return (int) target;
        }

        @Override
        public void setvbuf(String mode, int size) {}

        @Override
        public int remaining() throws IOException {
            return (int) (file.length() - file.getFilePointer() + (len - pos));
        }

        private boolean fill() throws IOException {
            if (pos < len) {
                return true;
            }
            int n = file.read(buf, 0, buf.length);
            pos = 0;
            len = Math.max(n, 0);
            return n > 0;
        }

        @Override
        public int peek() throws IOException {
            return fill() ? buf[pos] & 0xff : -1;
        }

        @Override
        public int read() throws IOException {
            return fill() ? buf[pos++] & 0xff : -1;
        }

        @Override
        public int read(byte[] bytes, int offset, int length) throws IOException {
            // LuaJ's read(n) and read("*a") call this once and take what it returns.
            int done = 0;
            while (done < length && fill()) {
                int n = Math.min(length - done, len - pos);
                System.arraycopy(buf, pos, bytes, offset + done, n);
                pos += n;
                done += n;
            }
            return done == 0 && length > 0 ? -1 : done;
        }
    }
}
