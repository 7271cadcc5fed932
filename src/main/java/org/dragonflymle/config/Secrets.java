package org.dragonflymle.config;

import java.util.Comparator;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Keeps secrets out of every message and warning the loader produces. Messages are built so that
 * they never echo a password; this is the second line of defence for text the loader does not
 * control (Lua's own error messages, user values quoted in a complaint).
 *
 * <p>Masks, in any text: the password part of {@code scheme://user:password@host}, the value of URI
 * query parameters whose name suggests a secret ({@code sasl.jaas.config}, {@code
 * ssl.key.password}, ...), and every literal secret registered with {@link #add} or found in the
 * config.lua source by {@link #addFromSource}. Literal secrets shorter than {@value
 * #MIN_LITERAL_LENGTH} characters are not masked by substring, so a one-letter password does not
 * garble every message; they are still never echoed by construction.
 */
public final class Secrets {

    static final int MIN_LITERAL_LENGTH = 3;
    static final String MASK = "***";

    private static final Pattern URI_PASSWORD =
            Pattern.compile("([A-Za-z][A-Za-z0-9+.-]*://[^\\s/@:\"']*):([^\\s/@\"']+)@");
    private static final Pattern URI_USER_ONLY =
            Pattern.compile("([A-Za-z][A-Za-z0-9+.-]*://)([^\\s/@:\"']+)@");
    private static final Pattern SECRET_PARAM =
            Pattern.compile(
                    "([?&][^=&\\s\"']*(?i:pass|secret|jaas|token|credential)[^=&\\s\"']*=)"
                            + "[^&\\s\"']*");
    private static final Pattern PASSWORD_ASSIGNMENT =
            Pattern.compile("redis_password\\s*=\\s*(\"|')(.*?)\\1");

    private final Set<String> literals =
            new TreeSet<>(Comparator.comparingInt(String::length).reversed().thenComparing(s -> s));

    /** Registers a secret value (a password as configured or as decoded from a URI). */
    public void add(String secret) {
        if (secret != null && secret.length() >= MIN_LITERAL_LENGTH) {
            literals.add(secret);
        }
    }

    /**
     * Registers secrets written in config.lua's text, so they are masked even when the file does
     * not parse and no value could be read.
     */
    public void addFromSource(String source) {
        Matcher assignment = PASSWORD_ASSIGNMENT.matcher(source);
        while (assignment.find()) {
            add(assignment.group(2));
        }
        Matcher uri = URI_PASSWORD.matcher(source);
        while (uri.find()) {
            add(uri.group(2));
            try {
                add(EndpointUri.percentDecode(uri.group(2)));
            } catch (IllegalArgumentException brokenEscape) {
                // the raw form is masked already
            }
        }
    }

    public String redact(String text) {
        if (text == null) {
            return null;
        }
        String out = text;
        for (String secret : literals) {
            out = out.replace(secret, MASK);
        }
        out = URI_PASSWORD.matcher(out).replaceAll("$1:" + MASK + "@");
        out = URI_USER_ONLY.matcher(out).replaceAll("$1" + MASK + "@");
        return SECRET_PARAM.matcher(out).replaceAll("$1" + MASK);
    }
}
