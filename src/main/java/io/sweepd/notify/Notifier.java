package io.sweepd.notify;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.sweepd.json.Json;
import io.sweepd.ledger.JobRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Optional;

/**
 * What the notify routes call: whether an event is wanted, its summary, its JSON, and delivery to each configured
 * target. With nothing configured, {@link #wants} is false and nothing else is ever called.
 */
public final class Notifier {

    private static final Logger LOG = LoggerFactory.getLogger(Notifier.class);

    private final NotifySettings settings;
    private final NotificationSummaries summaries;
    private final Optional<NotifyCommand> command;
    private final Optional<Webhook> webhook;

    public Notifier(NotifySettings settings, NotificationSummaries summaries, Optional<NotifyCommand> command,
                    Optional<Webhook> webhook) {
        this.settings = settings;
        this.summaries = summaries;
        this.command = command;
        this.webhook = webhook;
    }

    /** @param event an event id, {@code run-ended} or {@code job-failed} */
    public boolean wants(String event) {
        return settings.wants(NotifyEvent.of(event));
    }

    public Notification runEnded(String runId) {
        return summaries.runEnded(runId);
    }

    public Notification jobFailed(JobRecord job) {
        return summaries.jobFailed(job);
    }

    public String json(Notification notification) {
        try {
            return Json.MAPPER.writeValueAsString(notification);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write notification " + notification.text(), e);
        }
    }

    public boolean hasCommand() {
        return command.isPresent();
    }

    public boolean hasWebhook() {
        return webhook.isPresent();
    }

    public void runCommand(Notification notification, String json) {
        command.orElseThrow().deliver(notification, json);
        LOG.info("notified {} of run {} by command", notification.event(), notification.runId());
    }

    public void post(Notification notification, String json) {
        webhook.orElseThrow().deliver(notification, json);
        LOG.info("notified {} of run {} by webhook {}", notification.event(), notification.runId(),
                settings.urlForLogs());
    }

    /**
     * The last word on a notification that could not be built or delivered, retries spent: a warning naming the
     * run (and job), never an exception, since a notification must not disturb job handling.
     *
     * @param notification the summary, or null when building it failed
     * @param subject what the route was given (the run id, the job) when there is no summary
     * @param retries how many times it was retried (every failure is, so: the retries configured)
     */
    public void undelivered(Notification notification, Object subject, int retries, Exception cause) {
        String what = notification == null ? "notification for " + describe(subject)
                : notification.event() + " notification of run " + notification.runId()
                + (notification.job() == null ? "" : ", job " + notification.job().jobKey());
        LOG.warn("{} not delivered after {} attempts: {}", what, retries + 1,
                cause == null ? "unknown cause" : cause.getMessage());
    }

    private static String describe(Object subject) {
        if (subject instanceof JobRecord job) {
            return "job " + job.jobKey() + " of run " + job.runId();
        }
        return "run " + subject;
    }
}
