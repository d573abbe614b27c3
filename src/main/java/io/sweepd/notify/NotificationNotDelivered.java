package io.sweepd.notify;

/** A target refused or missed a notification; the route retries it, then logs it. The message names the target. */
public class NotificationNotDelivered extends RuntimeException {

    public NotificationNotDelivered(String message) {
        super(message);
    }

    public NotificationNotDelivered(String message, Throwable cause) {
        super(message, cause);
    }
}
