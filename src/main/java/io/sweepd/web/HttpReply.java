package io.sweepd.web;

import java.nio.file.Path;
import java.util.Objects;

/**
 * What the status server answers to one request: the status code, the content type, and either text or a file
 * to stream. The HTTP routes copy it onto the response as it is, so every decision (which file, which status)
 * is made in plain Java and tested without a server.
 *
 * @param body        a {@link String}, or a {@link Path} to a regular file
 * @param disposition a Content-Disposition value (a download's file name), or null
 */
public record HttpReply(int status, String contentType, Object body, String disposition) {

    public static final String JSON = "application/json; charset=utf-8";
    public static final String HTML = "text/html; charset=utf-8";

    public HttpReply {
        Objects.requireNonNull(contentType, "contentType");
        Objects.requireNonNull(body, "body");
        if (!(body instanceof String) && !(body instanceof Path)) {
            throw new IllegalArgumentException("a reply body is text or a file, not " + body.getClass());
        }
    }

    public static HttpReply ok(String contentType, String text) {
        return new HttpReply(200, contentType, text, null);
    }

    public static HttpReply file(Path file, String contentType, String disposition) {
        return new HttpReply(200, contentType, file, disposition);
    }

    /** 404 with a JSON error, for the API and for files alike (a script fetching a file reads why). */
    public static HttpReply notFound(String message) {
        return new HttpReply(404, JSON, StatusJson.error(message), null);
    }
}
