package org.dragonflymle.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code dragonfly-mle reload [-l LOGDIR]}: asks the local-mode engine that writes to LOGDIR to
 * load its ROOT again, through its {@link ControlSocket}, prints what the engine says and exits
 * with the engine's status: 0 reloaded (or nothing changed), 2 refused – a config or script
 * problem, the message as a start would print it, the running job untouched – and 1 when the reload
 * failed or no engine answers.
 */
final class ReloadCommand {

    static final String USAGE =
            "usage: dragonfly-mle reload [-l LOGDIR] [--promote TAG]\n"
                    + "  validates ROOT of the engine running with LOGDIR, then switches it to"
                    + " the new version\n"
                    + "  --promote TAG: the shadow of analyzer TAG becomes its live version (until"
                    + " the engine\n"
                    + "                 restarts: edit config.lua to keep it)\n";

    private ReloadCommand() {}

    static int run(String[] args, PrintStream err) {
        Path logDir = Path.of("/var/log/dragonfly-mle");
        String promote = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "-l" -> {
                    if (i + 1 >= args.length) {
                        err.println("dragonfly-mle reload: -l needs a value");
                        err.print(USAGE);
                        return 2;
                    }
                    logDir = Path.of(args[++i]);
                }
                case "--promote" -> {
                    if (i + 1 >= args.length) {
                        err.println("dragonfly-mle reload: --promote needs an analyzer tag");
                        err.print(USAGE);
                        return 2;
                    }
                    promote = args[++i];
                }
                case "-h", "--help" -> {
                    err.print(USAGE);
                    return 2;
                }
                default -> {
                    err.println("dragonfly-mle reload: unknown argument " + args[i]);
                    err.print(USAGE);
                    return 2;
                }
            }
        }
        Path socket = ControlSocket.path(logDir);
        if (!Files.exists(socket)) {
            err.println(
                    "dragonfly-mle reload: no engine runs with LOGDIR "
                            + logDir.toAbsolutePath().normalize()
                            + " (no control socket "
                            + socket
                            + "; a local-mode engine makes one when it starts)");
            return 1;
        }
        try (SocketChannel channel = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
            OutputStream out = Channels.newOutputStream(channel);
            out.write(
                    (promote == null ? "reload\n" : "reload --promote " + promote + "\n")
                            .getBytes(StandardCharsets.UTF_8));
            out.flush();
            BufferedReader in =
                    new BufferedReader(
                            new InputStreamReader(
                                    Channels.newInputStream(channel), StandardCharsets.UTF_8));
            String line;
            while ((line = in.readLine()) != null) {
                if (line.matches("exit \\d+")) {
                    return Integer.parseInt(line.substring(5));
                }
                err.println(line);
            }
            err.println("dragonfly-mle reload: the engine closed the connection without a status");
            return 1;
        } catch (IOException e) {
            err.println(
                    "dragonfly-mle reload: cannot reach the engine at "
                            + socket
                            + ": "
                            + e.getMessage());
            return 1;
        }
    }
}
