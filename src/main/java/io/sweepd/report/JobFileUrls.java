package io.sweepd.report;

import java.net.URI;
import java.net.URISyntaxException;

/**
 * The status server's URLs of a job's files, which the report's links switch to when the report is opened over
 * HTTP (its relative links lead into the job directories, which the server does not expose as such). The server's
 * routes ({@code routes/status-http.camel.yaml}) answer exactly these paths; StatusHttpRoutesTest follows a written
 * report's links to prove the two agree.
 *
 * <pre>
 * /runs/RUN/jobs/JOB/logs                          the current attempt's logs/ (a listing)
 * /runs/RUN/jobs/JOB/logs/FILE                     one file of it (the Slurm output)
 * /runs/RUN/jobs/JOB/failure.tar.gz                the current attempt's failure archive
 * /runs/RUN/jobs/JOB/attempts/N/logs[/FILE]        the same for an attempt a retry set aside
 * /runs/RUN/jobs/JOB/attempts/N/failure.tar.gz
 * </pre>
 */
public final class JobFileUrls {

    public static final String LOGS = "logs";
    public static final String ATTEMPTS = "attempts";

    private JobFileUrls() {
    }

    /** The job's (attempt null) or an earlier attempt's folder on the server. */
    public static String folder(String runId, String jobKey, Integer attempt) {
        return "/runs/" + segment(runId) + "/jobs/" + segment(jobKey)
                + (attempt == null ? "" : "/" + ATTEMPTS + "/" + attempt);
    }

    public static String logs(String runId, String jobKey, Integer attempt) {
        return folder(runId, jobKey, attempt) + "/" + LOGS;
    }

    public static String log(String runId, String jobKey, Integer attempt, String fileName) {
        return logs(runId, jobKey, attempt) + "/" + segment(fileName);
    }

    public static String file(String runId, String jobKey, Integer attempt, String fileName) {
        return folder(runId, jobKey, attempt) + "/" + segment(fileName);
    }

    /** One path segment, percent-encoded: a '/' or '?' in a name must not change which URL it is. */
    static String segment(String text) {
        try {
            return new URI(null, null, text, null).getRawPath().replace("/", "%2F").replace("?", "%3F")
                    .replace("#", "%23");
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("not a URL segment: " + text, e);
        }
    }
}
