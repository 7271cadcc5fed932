package org.dragonflymle.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.dragonflymle.config.PipelineSpec;
import org.dragonflymle.config.StageSpec;

/**
 * Serves the analyzers' explanation files as the C engine did: {@code GET /www/NAME.json} answers
 * {@code ROOT/www/NAME.json} on 127.0.0.1 (port 7070 when free). Also {@code GET /www/}, the list
 * of files as JSON, and {@code GET /}, a small page listing each stage with its script, its
 * explanation's name and description, and a link to the Flink dashboard.
 *
 * <p>Only plain names directly in ROOT/www are served ({@code [A-Za-z0-9._-]+.json}); anything else
 * is a 404, so no path leads outside ROOT/www. Files are read per request: editing one needs no
 * restart.
 */
final class ExplanationServer implements AutoCloseable {

    static final String WWW_DIR = "www";

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._-]*\\.json");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final PipelineSpec spec;
    private final Path www;
    private final Supplier<String> dashboardUrl;

    private ExplanationServer(HttpServer server, PipelineSpec spec, Supplier<String> dashboardUrl) {
        this.server = server;
        this.spec = spec;
        this.www = spec.root().resolve(WWW_DIR);
        this.dashboardUrl = dashboardUrl;
        server.createContext("/", this::handle);
        server.start();
    }

    /**
     * Starts serving when ROOT/www exists and the flags allow; prints the address.
     *
     * @param dashboardUrl the Flink dashboard's address once known (the page links to it), or null
     * @return the server, or null when there is nothing to serve or serving is off
     */
    static ExplanationServer start(
            PipelineSpec spec,
            OperatorFlags flags,
            Supplier<String> dashboardUrl,
            PrintStream err) {
        Path www = spec.root().resolve(WWW_DIR);
        if (flags.wwwPort() < 0 || !Files.isDirectory(www)) {
            return null;
        }
        HttpServer server;
        try {
            server = bind(flags.wwwPort());
        } catch (BindException busy) {
            if (flags.wwwPortFixed()) {
                err.println(
                        "dragonfly-mle: warning: cannot serve "
                                + www
                                + ": port "
                                + flags.wwwPort()
                                + " is in use");
                return null;
            }
            try {
                server = bind(0);
            } catch (IOException e) {
                err.println("dragonfly-mle: warning: cannot serve " + www + ": " + e);
                return null;
            }
        } catch (IOException e) {
            err.println("dragonfly-mle: warning: cannot serve " + www + ": " + e);
            return null;
        }
        ExplanationServer s = new ExplanationServer(server, spec, dashboardUrl);
        err.println("dragonfly-mle: analyzer explanations " + s.url() + " (" + www + ")");
        return s;
    }

    private static HttpServer bind(int port) throws IOException {
        return HttpServer.create(
                new InetSocketAddress(InetAddress.getByName(LocalDashboard.HOST), port), 16);
    }

    String url() {
        return "http://" + LocalDashboard.HOST + ":" + server.getAddress().getPort() + "/";
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            if (!ex.getRequestMethod().equals("GET") && !ex.getRequestMethod().equals("HEAD")) {
                send(ex, 405, "text/plain", "GET only\n".getBytes(StandardCharsets.UTF_8));
                return;
            }
            String path = ex.getRequestURI().getPath();
            if (path.equals("/")) {
                send(ex, 200, "text/html; charset=utf-8", page().getBytes(StandardCharsets.UTF_8));
            } else if (path.equals("/www/") || path.equals("/www")) {
                send(ex, 200, "application/json", JSON.writeValueAsBytes(files()));
            } else if (path.startsWith("/www/") && NAME.matcher(path.substring(5)).matches()) {
                Path f = www.resolve(path.substring(5));
                if (Files.isRegularFile(f)) {
                    send(ex, 200, "application/json", Files.readAllBytes(f));
                } else {
                    notFound(ex);
                }
            } else {
                notFound(ex);
            }
        }
    }

    private List<String> files() throws IOException {
        try (Stream<Path> s = Files.list(www)) {
            return s.map(p -> p.getFileName().toString())
                    .filter(n -> NAME.matcher(n).matches())
                    .sorted()
                    .map(n -> "/www/" + n)
                    .toList();
        }
    }

    private String page() {
        StringBuilder b = new StringBuilder();
        b.append("<!doctype html><html><head><meta charset=\"utf-8\"><title>dragonfly-mle: ")
                .append(esc(spec.root().toString()))
                .append("</title></head><body><h1>dragonfly-mle analyzers</h1><p>")
                .append(esc(spec.configFile().toString()))
                .append("</p>");
        String dashboard = dashboardUrl.get();
        if (dashboard != null) {
            b.append("<p><a href=\"").append(esc(dashboard)).append("\">Flink dashboard</a></p>");
        }
        b.append(
                        "<table border=\"1\" cellpadding=\"4\"><tr><th>stage</th><th>tag</th><th>script</th>")
                .append("<th>name</th><th>description</th></tr>");
        List<StageSpec> stages = new ArrayList<>(spec.inputs());
        stages.addAll(spec.analyzers());
        for (StageSpec s : stages) {
            Path f = www.resolve(s.tag() + ".json");
            JsonNode doc = null;
            if (NAME.matcher(s.tag() + ".json").matches() && Files.isRegularFile(f)) {
                try {
                    doc = JSON.readTree(f.toFile());
                } catch (IOException e) {
                    doc = null;
                }
            }
            b.append("<tr><td>").append(s.kind().table().replaceAll("s$", "")).append("</td><td>");
            if (doc != null) {
                b.append("<a href=\"/www/")
                        .append(esc(s.tag()))
                        .append(".json\">")
                        .append(esc(s.tag()))
                        .append("</a>");
            } else {
                b.append(esc(s.tag()));
            }
            b.append("</td><td>")
                    .append(esc(s.scriptName()))
                    .append("</td><td>")
                    .append(doc == null ? "" : esc(doc.path("name").asText()))
                    .append("</td><td>")
                    .append(doc == null ? "" : esc(doc.path("description").asText()))
                    .append("</td></tr>");
        }
        return b.append("</table></body></html>\n").toString();
    }

    private static String esc(String s) {
        return s.replace("&", "&amp;")
                .replace("<", "&lt;")
                .replace(">", "&gt;")
                .replace("\"", "&quot;");
    }

    private static void notFound(HttpExchange ex) throws IOException {
        send(
                ex,
                404,
                "text/html",
                "<html><head><title>Analyzer not found</title></head><body>File not found</body></html>"
                        .getBytes(StandardCharsets.UTF_8));
    }

    private static void send(HttpExchange ex, int status, String type, byte[] body)
            throws IOException {
        ex.getResponseHeaders().set("Content-Type", type);
        boolean head = ex.getRequestMethod().equals("HEAD");
        ex.sendResponseHeaders(status, head ? -1 : body.length);
        if (!head) {
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
