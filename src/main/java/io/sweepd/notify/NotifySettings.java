package io.sweepd.notify;

import java.net.URI;
import java.time.Duration;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where notifications go (the {@code sweepd.notify.*} settings, parsed and checked once, at start-up).
 *
 * @param command the command's argv (empty: no command), see {@link CommandWords}
 * @param url     where the JSON is POSTed (null: nowhere)
 * @param headers extra request headers, {@code ${env:NAME}} references already replaced; values are secrets
 *                (an auth token) and never appear in {@link #toString()} or a log line
 * @param events  which events notify
 * @param timeout how long one attempt (the command's run, or the POST) may take
 */
public record NotifySettings(List<String> command, URI url, Map<String, String> headers, Set<NotifyEvent> events,
                             Duration timeout) {

    private static final Pattern ENV_REFERENCE = Pattern.compile("\\$\\{env:([A-Za-z_][A-Za-z0-9_]*)}");

    public NotifySettings {
        command = List.copyOf(command);
        headers = Collections.unmodifiableMap(new LinkedHashMap<>(headers));
        events = events.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(events));
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("sweepd.notify.timeout-ms must be positive, was " + timeout.toMillis());
        }
    }

    /** Nothing configured: no notification is built or sent. */
    public static NotifySettings none() {
        return new NotifySettings(List.of(), null, Map.of(), Set.of(), Duration.ofSeconds(10));
    }

    /**
     * From the settings' text.
     *
     * @param headers     comma-separated {@code Name=value}; {@code ${env:NAME}} in a value is that variable of
     *                    {@code environment} (a missing one is an error, so a token is never sent empty)
     * @param on          comma-separated event ids ({@code run-ended}, {@code job-failed})
     * @throws IllegalArgumentException naming the setting that is wrong
     */
    public static NotifySettings parse(String command, String url, String headers, String on, long timeoutMs,
                                       Map<String, String> environment) {
        List<String> argv = CommandWords.split(command == null ? "" : command);
        URI uri = url == null || url.isBlank() ? null : uri(url.strip());
        Set<NotifyEvent> events = EnumSet.noneOf(NotifyEvent.class);
        for (String id : (on == null ? "" : on).split(",")) {
            if (!id.isBlank()) {
                events.add(NotifyEvent.of(id));
            }
        }
        return new NotifySettings(argv, uri, headers(headers, environment), events, Duration.ofMillis(timeoutMs));
    }

    public boolean hasCommand() {
        return !command.isEmpty();
    }

    public boolean hasUrl() {
        return url != null;
    }

    /** The event is wanted and there is somewhere to send it. */
    public boolean wants(NotifyEvent event) {
        return (hasCommand() || hasUrl()) && events.contains(event);
    }

    /**
     * The URL without its path and query, for log lines: a chat webhook's URL often carries its secret in the
     * path (Slack's {@code /services/T.../B.../token}).
     */
    public String urlForLogs() {
        return url == null ? "" : url.getScheme() + "://" + url.getAuthority() + "/...";
    }

    @Override
    public String toString() {
        return "NotifySettings[command=" + command + ", url=" + urlForLogs() + ", headers=" + headers.keySet()
                + ", events=" + events + ", timeout=" + timeout + "]";
    }

    private static URI uri(String url) {
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("sweepd.notify.url is not a URL: " + e.getMessage());
        }
        if (!"http".equalsIgnoreCase(uri.getScheme()) && !"https".equalsIgnoreCase(uri.getScheme())
                || uri.getHost() == null) {
            throw new IllegalArgumentException("sweepd.notify.url must be an http:// or https:// URL with a host");
        }
        return uri;
    }

    private static Map<String, String> headers(String text, Map<String, String> environment) {
        Map<String, String> headers = new LinkedHashMap<>();
        if (text == null || text.isBlank()) {
            return headers;
        }
        for (String entry : text.split(",")) {
            if (entry.isBlank()) {
                continue;
            }
            int eq = entry.indexOf('=');
            String name = eq < 0 ? "" : entry.substring(0, eq).strip();
            if (name.isEmpty() || !name.chars().allMatch(NotifySettings::tokenChar)) {
                // Only the name: the value may be a secret.
                throw new IllegalArgumentException("sweepd.notify.headers: expected Name=value, got a header named '"
                        + (eq < 0 ? "" : name) + "'");
            }
            headers.put(name, resolve(name, entry.substring(eq + 1).strip(), environment));
        }
        return headers;
    }

    private static String resolve(String header, String value, Map<String, String> environment) {
        Matcher m = ENV_REFERENCE.matcher(value);
        StringBuilder resolved = new StringBuilder();
        while (m.find()) {
            String variable = environment.get(m.group(1));
            if (variable == null || variable.isEmpty()) {
                throw new IllegalArgumentException("sweepd.notify.headers: header " + header
                        + " needs the environment variable " + m.group(1) + ", which is not set");
            }
            m.appendReplacement(resolved, Matcher.quoteReplacement(variable));
        }
        m.appendTail(resolved);
        return resolved.toString();
    }

    /** RFC 9110 token characters: what a header name may be made of. */
    private static boolean tokenChar(int c) {
        return c > 32 && c < 127 && "\"(),/:;<=>?@[\\]{}".indexOf(c) < 0;
    }
}
