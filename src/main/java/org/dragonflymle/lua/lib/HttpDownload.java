package org.dragonflymle.lua.lib;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import org.dragonflymle.config.Capabilities;
import org.dragonflymle.lua.budget.CallBudget;
import org.luaj.vm2.LuaError;

/**
 * One {@code dragonfly.http_get}: an HTTP/1.1 GET that only goes where {@link Capabilities} allow.
 *
 * <p>The host must be listed in {@code sandbox.http_allow}. Its name is resolved here and the
 * connection is made to an address that passed the check, never resolved again, so a name that
 * answers differently the second time (DNS rebinding) cannot lead elsewhere. Loopback, link-local,
 * wildcard and multicast addresses pass only when listed as addresses; the engine's own ports (its
 * REST API) never do. Each redirect is checked the same way. The body is capped at {@code
 * http_max_mb}, the whole download at {@code http_timeout_ms} and at the call's own budget (the
 * script's watchdog ends a blocked read by closing the socket).
 */
final class HttpDownload {

    private static final int MAX_REDIRECTS = 5;
    private static final int MAX_HEADER_BYTES = 64 * 1024;
    private static final int POLL_MILLIS = 100;

    private final Capabilities caps;
    private final HttpAllowList allowed;
    private final CallBudget budget;
    private long deadline;

    HttpDownload(Capabilities caps, CallBudget budget) {
        this.caps = caps;
        this.allowed = new HttpAllowList(caps);
        this.budget = budget;
    }

    /** Downloads {@code url} into {@code target} (replaced only after a complete 2xx answer). */
    void get(String url, Path target) {
        deadline = System.nanoTime() + caps.httpTimeoutMillis() * 1_000_000L;
        URI uri = parse(url, url);
        for (int hop = 0; ; hop++) {
            Socket socket = connect(uri);
            if (budget != null) {
                budget.waitBegins(() -> closeQuietly(socket));
            }
            try (socket) {
                String location = exchange(socket, uri, target);
                if (location == null) {
                    return;
                }
                if (hop >= MAX_REDIRECTS) {
                    throw new LuaError("http_get: " + url + ": more than 5 redirects");
                }
                uri = parse(uri.resolve(location).toString(), url);
            } catch (SocketTimeoutException e) {
                throw new LuaError(
                        "http_get: "
                                + url
                                + ": took longer than "
                                + caps.httpTimeoutMillis()
                                + " ms (sandbox.http_timeout_ms)");
            } catch (IOException e) {
                throw new LuaError("http_get: " + url + ": " + e);
            } finally {
                if (budget != null) {
                    budget.waitEnds();
                }
            }
        }
    }

    private static URI parse(String url, String original) {
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new LuaError("http_get: invalid URL " + original);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new LuaError("http_get: only http and https URLs are supported: " + url);
        }
        if (uri.getHost() == null) {
            throw new LuaError("http_get: no host in " + url);
        }
        return uri;
    }

    private static int port(URI uri) {
        return uri.getPort() > 0
                ? uri.getPort()
                : uri.getScheme().equalsIgnoreCase("https") ? 443 : 80;
    }

    /** Resolves, checks and connects; the socket is connected to an address that passed. */
    private Socket connect(URI uri) {
        String host = uri.getHost();
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port = port(uri);
        if (!allowed.hostAllowed(host, port)) {
            throw new LuaError(
                    "http_get: "
                            + host
                            + ":"
                            + port
                            + " is not in sandbox.http_allow of config.lua");
        }
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(host);
        } catch (UnknownHostException e) {
            throw new LuaError("http_get: " + host + " does not resolve");
        }
        String refused = null;
        for (InetAddress address : addresses) {
            refused = allowed.refusal(address, port);
            if (refused != null) {
                continue;
            }
            Socket socket = new Socket();
            try {
                socket.connect(new InetSocketAddress(address, port), remainingMillis());
                // the address actually connected to is the one checked: never resolved again
                if (!socket.getInetAddress().equals(address)) {
                    throw new IOException("connected to another address than checked");
                }
                // short slices: a blocked read looks at the budgets between them
                socket.setSoTimeout(POLL_MILLIS);
                return uri.getScheme().equalsIgnoreCase("https")
                        ? tls(socket, uri.getHost(), port)
                        : socket;
            } catch (IOException e) {
                closeQuietly(socket);
                refused = "cannot connect to " + address.getHostAddress() + ": " + e.getMessage();
            }
        }
        throw new LuaError("http_get: " + host + ": " + refused);
    }

    private Socket tls(Socket plain, String host, int port) throws IOException {
        SSLSocket tls =
                (SSLSocket)
                        ((SSLSocketFactory) SSLSocketFactory.getDefault())
                                .createSocket(plain, host, port, true);
        SSLParameters params = tls.getSSLParameters();
        params.setEndpointIdentificationAlgorithm("HTTPS");
        if (!HttpAllowList.isLiteral(host)) {
            params.setServerNames(java.util.List.of(new SNIHostName(host)));
        }
        tls.setSSLParameters(params);
        tls.startHandshake();
        return tls;
    }

    /** Sends the GET and reads the answer: the redirect's location, or null once stored. */
    private String exchange(Socket socket, URI uri, Path target) throws IOException {
        String path =
                uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        if (uri.getRawQuery() != null) {
            path += "?" + uri.getRawQuery();
        }
        String hostHeader = uri.getPort() > 0 ? uri.getHost() + ":" + uri.getPort() : uri.getHost();
        OutputStream out = socket.getOutputStream();
        out.write(
                ("GET "
                                + path
                                + " HTTP/1.1\r\nHost: "
                                + hostHeader
                                + "\r\nUser-Agent: dragonfly-mle\r\nAccept: */*\r\n"
                                + "Connection: close\r\n\r\n")
                        .getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        InputStream in = new BufferedInputStream(new Polling(socket.getInputStream()));
        String status = line(in);
        String[] parts = status.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/")) {
            throw new IOException("not an HTTP answer: " + status);
        }
        int code = Integer.parseInt(parts[1]);
        long length = -1;
        boolean chunked = false;
        String location = null;
        for (String h = line(in); !h.isEmpty(); h = line(in)) {
            int colon = h.indexOf(':');
            if (colon <= 0) {
                continue;
            }
            String name = h.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = h.substring(colon + 1).trim();
            switch (name) {
                case "content-length" -> length = Long.parseLong(value);
                case "transfer-encoding" ->
                        chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
                case "location" -> location = value;
                default -> {}
            }
        }
        if (code >= 300 && code < 400 && location != null) {
            return location;
        }
        if (code < 200 || code > 299) {
            throw new LuaError("http_get: " + uri + ": HTTP " + code);
        }
        if (length > caps.httpMaxBytes()) {
            throw tooLarge(uri);
        }
        store(in, chunked, length, uri, target);
        return null;
    }

    private void store(InputStream in, boolean chunked, long length, URI uri, Path target)
            throws IOException {
        Path tmp = Files.createTempFile(target.getParent(), ".http_get-", ".part");
        try {
            try (OutputStream file = Files.newOutputStream(tmp)) {
                long total = 0;
                if (chunked) {
                    for (long size = chunkSize(in); size > 0; size = chunkSize(in)) {
                        total = copy(in, file, size, total, uri);
                        line(in);
                    }
                } else {
                    total = copy(in, file, length < 0 ? Long.MAX_VALUE : length, total, uri);
                    if (length >= 0 && total < length) {
                        throw new IOException("the answer ended after " + total + " bytes");
                    }
                }
            }
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            tmp = null;
        } finally {
            if (tmp != null) {
                Files.deleteIfExists(tmp);
            }
        }
    }

    private long copy(InputStream in, OutputStream out, long n, long total, URI uri)
            throws IOException {
        byte[] buf = new byte[16 * 1024];
        while (n > 0) {
            int r = in.read(buf, 0, (int) Math.min(buf.length, n));
            if (r < 0) {
                return total;
            }
            total += r;
            n -= r;
            if (total > caps.httpMaxBytes()) {
                throw tooLarge(uri);
            }
            out.write(buf, 0, r);
            if (budget != null) {
                budget.poll();
            }
            if (System.nanoTime() - deadline > 0) {
                throw new SocketTimeoutException();
            }
        }
        return total;
    }

    private LuaError tooLarge(URI uri) {
        return new LuaError(
                "http_get: "
                        + uri
                        + ": larger than "
                        + (caps.httpMaxBytes() >> 20)
                        + " MiB (sandbox.http_max_mb)");
    }

    private static long chunkSize(InputStream in) throws IOException {
        String l = line(in);
        int semi = l.indexOf(';');
        try {
            return Long.parseLong((semi >= 0 ? l.substring(0, semi) : l).trim(), 16);
        } catch (NumberFormatException e) {
            throw new IOException("bad chunk size: " + l);
        }
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) {
                throw new IOException("the answer ended early");
            }
            if (b.size() >= MAX_HEADER_BYTES) {
                throw new IOException("header line too long");
            }
            if (c != '\r') {
                b.write(c);
            }
        }
        return b.toString(StandardCharsets.ISO_8859_1);
    }

    /**
     * Reads in {@link #POLL_MILLIS} slices; between them the call's budget and the download's
     * deadline are checked, so a server that sends nothing cannot hold the call.
     */
    private final class Polling extends java.io.FilterInputStream {
        Polling(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            while (true) {
                try {
                    return in.read(b, off, len);
                } catch (SocketTimeoutException e) {
                    if (budget != null) {
                        budget.poll();
                    }
                    remainingMillis();
                }
            }
        }
    }

    private int remainingMillis() throws SocketTimeoutException {
        long left = (deadline - System.nanoTime()) / 1_000_000;
        if (left <= 0) {
            throw new SocketTimeoutException();
        }
        return (int) Math.min(Integer.MAX_VALUE, left);
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // closed either way
        }
    }
}
