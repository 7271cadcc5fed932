package org.dragonflymle.docs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks the relative links of Markdown files the way GitHub renders them: {@code [text](path)}
 * must name a file or directory inside the repository, and {@code [text](path#anchor)} a heading of
 * that file. Links inside fenced code blocks and inline code are not links; links with a scheme
 * ({@code https:}, {@code mailto:}) are not checked.
 */
final class MarkdownLinks {

    /** A link as written: the line it starts on, its text and its target. */
    record Link(int line, String text, String target) {}

    private static final Pattern FENCE = Pattern.compile("^\\s*(```|~~~)");
    private static final Pattern HEADING = Pattern.compile("^ {0,3}(#{1,6})\\s+(.*?)\\s*#*\\s*$");
    private static final Pattern INLINE_CODE = Pattern.compile("`[^`]*`");
    private static final Pattern LINK =
            Pattern.compile(
                    "!?\\[((?:[^\\[\\]]|\\[[^\\[\\]]*\\])*)\\]\\(\\s*<?([^)\\s>]*)>?(?:\\s+\"[^\"]*\")?\\s*\\)");
    private static final Pattern HTML_ANCHOR =
            Pattern.compile("<a\\s+(?:name|id)=\"([^\"]+)\"", Pattern.CASE_INSENSITIVE);
    private static final Pattern SCHEME = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]*:");
    private static final Pattern MARKDOWN_LINK_IN_HEADING =
            Pattern.compile("!?\\[([^\\]]*)\\]\\([^)]*\\)");
    private static final Pattern NOT_IN_SLUG = Pattern.compile("[^\\p{L}\\p{M}\\p{N}\\p{Pc} -]");

    private MarkdownLinks() {}

    /**
     * What is wrong with the relative links of {@code file}, one line per broken link naming the
     * file, the line, the link and the reason; empty when every link resolves.
     */
    static List<String> problems(Path repoRoot, Path file) {
        Path root = repoRoot.toAbsolutePath().normalize();
        Path source = file.toAbsolutePath().normalize();
        List<String> problems = new ArrayList<>();
        for (Link link : links(read(source))) {
            String reason = check(root, source, link.target());
            if (reason != null) {
                problems.add(
                        root.relativize(source)
                                + ":"
                                + link.line()
                                + ": ["
                                + link.text().replaceAll("\\s+", " ")
                                + "]("
                                + link.target()
                                + "): "
                                + reason);
            }
        }
        return problems;
    }

    /** The links of a Markdown text, outside code. */
    static List<Link> links(String markdown) {
        String prose =
                INLINE_CODE.matcher(withoutFences(markdown)).replaceAll(m -> blank(m.group()));
        List<Link> links = new ArrayList<>();
        Matcher m = LINK.matcher(prose);
        while (m.find()) {
            String text = markdown.substring(m.start(1), m.end(1));
            links.add(new Link(lineOf(prose, m.start()), text, m.group(2)));
        }
        return links;
    }

    /** The anchors GitHub gives the headings of a Markdown text, plus explicit HTML anchors. */
    static Set<String> anchors(String markdown) {
        Set<String> anchors = new LinkedHashSet<>();
        Map<String, Integer> seen = new HashMap<>();
        for (String line : withoutFences(markdown).split("\n", -1)) {
            Matcher h = HEADING.matcher(line);
            if (h.matches()) {
                String slug = slug(h.group(2));
                int n = seen.merge(slug, 1, Integer::sum);
                anchors.add(n == 1 ? slug : slug + "-" + (n - 1));
            }
            Matcher a = HTML_ANCHOR.matcher(line);
            while (a.find()) {
                anchors.add(a.group(1));
            }
        }
        return anchors;
    }

    /**
     * GitHub's anchor for a heading: link markup reduced to its text, lower case, every character
     * that is not a letter, digit, mark, connector ({@code _}), space or hyphen dropped (backticks
     * and other punctuation included), then spaces to hyphens.
     */
    static String slug(String heading) {
        String text = MARKDOWN_LINK_IN_HEADING.matcher(heading).replaceAll("$1");
        text = text.replaceAll("<[^>]*>", "").trim().toLowerCase(Locale.ROOT);
        return NOT_IN_SLUG.matcher(text).replaceAll("").replace(' ', '-');
    }

    private static String check(Path root, Path source, String target) {
        if (target.isEmpty()) {
            return "empty link target";
        }
        if (SCHEME.matcher(target).find() || target.startsWith("//")) {
            return null;
        }
        int hash = target.indexOf('#');
        String pathPart = hash < 0 ? target : target.substring(0, hash);
        String anchor = hash < 0 ? null : decode(target.substring(hash + 1));
        Path resolved =
                pathPart.isEmpty()
                        ? source
                        : source.getParent().resolve(decode(pathPart)).normalize();
        if (!resolved.startsWith(root)) {
            return "points outside the repository (" + resolved + ")";
        }
        if (!Files.exists(resolved)) {
            return "no such file " + root.relativize(resolved);
        }
        if (anchor == null) {
            return null;
        }
        if (!Files.isRegularFile(resolved) || !resolved.toString().endsWith(".md")) {
            return "an anchor needs a Markdown file, and "
                    + root.relativize(resolved)
                    + " is not one";
        }
        Set<String> anchors = anchors(read(resolved));
        if (!anchors.contains(anchor)) {
            return "no heading #" + anchor + " in " + root.relativize(resolved);
        }
        return null;
    }

    /** The text with fenced code blocks blanked; offsets and line numbers are kept. */
    private static String withoutFences(String markdown) {
        StringBuilder out = new StringBuilder(markdown.length());
        boolean inFence = false;
        for (String line : markdown.split("\n", -1)) {
            boolean fence = FENCE.matcher(line).find();
            if (fence) {
                inFence = !inFence;
            }
            out.append(fence || inFence ? blank(line) : line).append('\n');
        }
        return out.substring(0, out.length() - 1);
    }

    private static String blank(String code) {
        return code.replaceAll("[^\n]", " ");
    }

    private static int lineOf(String text, int offset) {
        int line = 1;
        for (int i = 0; i < offset; i++) {
            if (text.charAt(i) == '\n') {
                line++;
            }
        }
        return line;
    }

    private static String decode(String s) {
        return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
