package io.sweepd.notify;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/**
 * The {@code sweepd.notify.url} target: one POST of the JSON per attempt, with the JDK's own HTTP client (no
 * dependency: the Camel HTTP producers are not on sweepd's classpath, and one POST does not need them). Any 2xx
 * answer is delivered; anything else, a timeout or a connection refused is {@link NotificationNotDelivered}, named
 * by the URL without its path (which may carry a chat webhook's secret) and never with the headers' values.
 */
public final class Webhook {

    private final URI url;
    private final String urlForLogs;
    private final Map<String, String> headers;
    private final Duration timeout;
    private final HttpClient client;

    public Webhook(NotifySettings settings) {
        this.url = settings.url();
        this.urlForLogs = settings.urlForLogs();
        this.headers = settings.headers();
        this.timeout = settings.timeout();
        this.client = HttpClient.newBuilder().connectTimeout(timeout).build();
        request("{}"); // a header the client refuses (Host, Content-Length...) fails at start-up, not at the first run
    }

    public void deliver(Notification notification, String json) {
        HttpResponse<String> response;
        try {
            response = client.send(request(json), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new NotificationNotDelivered("webhook " + urlForLogs + " not reached: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NotificationNotDelivered("webhook " + urlForLogs + ": interrupted", e);
        }
        if (response.statusCode() / 100 != 2) {
            String body = response.body() == null ? "" : response.body().strip();
            throw new NotificationNotDelivered("webhook " + urlForLogs + " answered HTTP " + response.statusCode()
                    + (body.isEmpty() ? "" : ": " + body.lines().findFirst().map(l -> l.length() > 200
                    ? l.substring(0, 200) + "..." : l).orElse("")));
        }
    }

    private HttpRequest request(String json) {
        HttpRequest.Builder request = HttpRequest.newBuilder(url)
                .timeout(timeout)
                .header("Content-Type", "application/json") // JSON is UTF-8 by definition (RFC 8259)
                .header("User-Agent", "sweepd")
                .POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8));
        headers.forEach(request::setHeader);
        return request.build();
    }
}
