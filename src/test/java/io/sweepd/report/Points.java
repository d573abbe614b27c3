package io.sweepd.report;

import io.sweepd.results.PointResult;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** PointResults for the report tests: hand-made metrics, or metrics shaped like a real sweep's. */
final class Points {

    static final String MODEL = "deepseek-ai/DeepSeek-R1-0528";
    static final Instant WHEN = Instant.parse("2025-06-01T12:34:56Z");

    private Points() {
    }

    /** A completed aggregated point with just the two Pareto metrics. */
    static PointResult at(String config, int conc, double tputPerGpu, double intvty) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("tput_per_gpu", tputPerGpu);
        m.put("median_intvty", intvty);
        return point("run-2", config, "tp8", "h200", 1024, 1024, conc, "COMPLETED", 8, 0, 0, m);
    }

    static PointResult point(String runId, String config, String shape, String hardware, int isl, int osl, int conc,
            String state, int totalGpus, int prefillGpus, int decodeGpus, Map<String, Object> metrics) {
        boolean disagg = prefillGpus > 0;
        return new PointResult(runId, config + "/" + isl + "x" + osl + "/" + shape.replace(' ', '-') + "/c" + conc,
                "job-" + Integer.toHexString((runId + config + shape + isl + osl).hashCode()), config, MODEL, "dsr1",
                "fp8", disagg ? "dynamo-sglang" : "sglang", hardware, hardware + "-cluster",
                hardware + (disagg ? "-multinode" : ""), isl, osl, conc, disagg, "none", shape, state, null, null,
                prefillGpus, decodeGpus, totalGpus, metrics, null, List.of());
    }

    /**
     * Metrics as process_result.py derives them from a benchmark at this concurrency, for a server whose
     * per-token time grows with load: tpotMs at conc 1 plus tpotSlope a request, ttftMs likewise.
     */
    static Map<String, Object> metrics(int isl, int osl, int conc, int gpus, int decodeGpus, int prefillGpus,
            double tpotMs, double ttftMs) {
        double e2elS = ttftMs / 1000 + osl * tpotMs / 1000;
        double output = conc * osl / e2elS;
        double total = output * (isl + osl) / osl;
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("tput_per_gpu", total / gpus);
        m.put("output_tput_per_gpu", output / (decodeGpus > 0 ? decodeGpus : gpus));
        m.put("input_tput_per_gpu", (total - output) / (prefillGpus > 0 ? prefillGpus : gpus));
        m.put("mean_ttft", ttftMs * 1.1 / 1000);
        m.put("median_ttft", ttftMs / 1000);
        m.put("p99_ttft", ttftMs * 2.4 / 1000);
        m.put("mean_tpot", tpotMs * 1.02 / 1000);
        m.put("median_tpot", tpotMs / 1000);
        m.put("p99_tpot", tpotMs * 1.3 / 1000);
        m.put("mean_intvty", 1000 / (tpotMs * 1.02));
        m.put("median_intvty", 1000 / tpotMs);
        m.put("p99_intvty", 1000 / (tpotMs * 1.3));
        m.put("median_itl", tpotMs * 0.97 / 1000);
        m.put("median_e2el", e2elS);
        m.put("p99_e2el", e2elS * 1.2);
        return m;
    }

    /**
     * Two configurations of one model at 1k/1k: an aggregated H200 server (tp8, 8 GPUs) and a disaggregated
     * H100 deployment (1 prefill + 1 decode worker of 8 GPUs), five concurrencies each; plus one failed and
     * one refused point.
     */
    static List<PointResult> realisticSweep(String runId, double speed) {
        return realisticSweep(runId, speed, speed);
    }

    /** The same, with the H200 and the H100 deployment each faster (above 1) or slower than the reference. */
    static List<PointResult> realisticSweep(String runId, double h200Speed, double h100Speed) {
        List<PointResult> points = new ArrayList<>();
        int[] concs = {4, 8, 16, 32, 64};
        for (int conc : concs) {
            points.add(withWorkarounds(point(runId, "dsr1-fp8-h200-sglang", "tp8", "h200", 1024, 1024, conc,
                    "COMPLETED", 8, 0, 0, metrics(1024, 1024, conc, 8, 0, 0,
                            (9.5 + conc * 0.42) / h200Speed, 180 + conc * 9)), List.of("sglang-disable-cuda-graph-padding")));
            points.add(withWorkarounds(point(runId, "dsr1-fp8-h100-dynamo-sglang", "1P(tp8) + 1D(tp8)", "h100",
                    1024, 1024, conc, "COMPLETED", 16, 8, 8, metrics(1024, 1024, conc, 16, 8, 8,
                            (12.0 + conc * 0.21) / h100Speed, 240 + conc * 4)),
                    List.of("shared-storage-long-load-deadline", "nvshmem-ipc-nccl-symm-mem")));
        }
        points.add(withState(point(runId, "dsr1-fp8-h100-dynamo-sglang", "1P(tp8) + 1D(tp8)", "h100", 1024, 1024, 128,
                "FAILED", 16, 8, 8, null), "Slurm: FAILED, ExitCode=1:0 after 00:41:12",
                "torch.OutOfMemoryError in sparse_attn_indexer during warm-up: lower gpu-memory-utilization to 0.85"));
        points.add(withState(point(runId, "dsr1-fp8-h100-sglang", "tp8", "h100", 1024, 1024, 4, "REFUSED", 8, 0, 0,
                null), "weights per rank 86.2 GB + 6 GB headroom exceed 79.19 GiB usable on h100", null));
        return points;
    }

    static PointResult withState(PointResult p, String reason, String diagnosis) {
        return new PointResult(p.runId(), p.pointId(), p.jobKey(), p.configKey(), p.model(), p.modelPrefix(),
                p.precision(), p.framework(), p.hardware(), p.profile(), p.runner(), p.isl(), p.osl(), p.conc(),
                p.disagg(), p.specDecoding(), p.shape(), p.state(), reason, diagnosis, p.prefillGpus(), p.decodeGpus(),
                p.totalGpus(), p.metrics(), p.eval(), p.workarounds());
    }

    static PointResult withState(PointResult p, String state) {
        return new PointResult(p.runId(), p.pointId(), p.jobKey(), p.configKey(), p.model(), p.modelPrefix(),
                p.precision(), p.framework(), p.hardware(), p.profile(), p.runner(), p.isl(), p.osl(), p.conc(),
                p.disagg(), p.specDecoding(), p.shape(), state, p.reason(), p.diagnosis(), p.prefillGpus(),
                p.decodeGpus(), p.totalGpus(), p.metrics(), p.eval(), p.workarounds());
    }

    static PointResult withWorkarounds(PointResult p, List<String> workarounds) {
        return new PointResult(p.runId(), p.pointId(), p.jobKey(), p.configKey(), p.model(), p.modelPrefix(),
                p.precision(), p.framework(), p.hardware(), p.profile(), p.runner(), p.isl(), p.osl(), p.conc(),
                p.disagg(), p.specDecoding(), p.shape(), p.state(), p.reason(), p.diagnosis(), p.prefillGpus(),
                p.decodeGpus(), p.totalGpus(), p.metrics(), p.eval(), workarounds);
    }

    static PointResult withMetrics(PointResult p, Map<String, Object> metrics) {
        return new PointResult(p.runId(), p.pointId(), p.jobKey(), p.configKey(), p.model(), p.modelPrefix(),
                p.precision(), p.framework(), p.hardware(), p.profile(), p.runner(), p.isl(), p.osl(), p.conc(),
                p.disagg(), p.specDecoding(), p.shape(), p.state(), p.reason(), p.diagnosis(), p.prefillGpus(),
                p.decodeGpus(), p.totalGpus(), metrics, p.eval(), p.workarounds());
    }

    static PointResult withIdentity(PointResult p, String runId, String pointId, String jobKey) {
        return new PointResult(runId, pointId, jobKey, p.configKey(), p.model(), p.modelPrefix(),
                p.precision(), p.framework(), p.hardware(), p.profile(), p.runner(), p.isl(), p.osl(), p.conc(),
                p.disagg(), p.specDecoding(), p.shape(), p.state(), p.reason(), p.diagnosis(), p.prefillGpus(),
                p.decodeGpus(), p.totalGpus(), p.metrics(), p.eval(), p.workarounds());
    }

    /** One Slurm job per configuration, submitted a minute apart, each queued 2 minutes and run 40. */
    static List<JobTiming> jobsOf(List<PointResult> points) {
        java.util.Map<String, List<PointResult>> byJob = new java.util.LinkedHashMap<>();
        points.stream().filter(p -> !"REFUSED".equals(p.state()))
                .forEach(p -> byJob.computeIfAbsent(p.jobKey(), k -> new ArrayList<>()).add(p));
        List<JobTiming> jobs = new ArrayList<>();
        int i = 0;
        for (var e : byJob.entrySet()) {
            PointResult first = e.getValue().get(0);
            java.time.Instant submit = Points.WHEN.minusSeconds(7200).plusSeconds(60L * i);
            boolean failed = e.getValue().stream().allMatch(p -> "FAILED".equals(p.state()));
            jobs.add(new JobTiming(e.getKey(), first.configKey() + " " + first.shape(), Integer.toString(4100 + i), 1,
                    failed ? "FAILED" : "COMPLETED", "gpu-node[" + (i + 1) + "-" + (i + 2) + "]", first.totalGpus(),
                    e.getValue().size(), submit, submit.plusSeconds(120), submit.plusSeconds(120 + 2400),
                    java.time.Duration.ofSeconds(310), failed ? null : java.time.Duration.ofSeconds(1500), null,
                    "../../outputs/run-3/" + e.getKey() + "/logs", null,
                    failed ? "../../outputs/run-3/" + e.getKey() + "/failure.tar.gz" : null,
                    failed ? "benchmark: no result file with a duration in results/" : null));
            i++;
        }
        return jobs;
    }

    /** The Slurm id of the failed first attempt {@link #withRetriedFirstJob} gives the first job. */
    static final String FIRST_ATTEMPT_SLURM_ID = "4099";
    static final String RULE_ADDED = "mem-headroom";

    /**
     * The jobs with the first one retried: its first attempt ran 10 minutes on other nodes, died out of memory,
     * triage said why, and the retry added a rule; the job's row is its second attempt.
     */
    static List<JobTiming> withRetriedFirstJob(List<JobTiming> jobs) {
        JobTiming j = jobs.get(0);
        java.time.Instant submit = j.submittedAt().minusSeconds(1800);
        io.sweepd.ledger.AttemptRecord first = new io.sweepd.ledger.AttemptRecord("run-3", j.jobKey(), 1,
                "sweepd-" + j.jobKey() + "-a1", FIRST_ATTEMPT_SLURM_ID, io.sweepd.core.JobState.OUT_OF_MEMORY,
                "OutOfMemory (exit 137)", "gpu-node[9-10]", 137, submit, submit, submit.plusSeconds(60),
                submit.plusSeconds(660), "CUDA out of memory while loading the weights", "gpu-out-of-memory",
                RULE_ADDED, "retry with workaround " + RULE_ADDED + " added", RULE_ADDED, null);
        io.sweepd.ledger.AttemptRecord second = new io.sweepd.ledger.AttemptRecord("run-3", j.jobKey(), 2,
                "sweepd-" + j.jobKey() + "-a2", j.slurmJobId(), io.sweepd.core.JobState.valueOf(j.state()), null,
                j.nodes(), 0, j.submittedAt(), j.submittedAt(), j.startedAt(), j.endedAt(), null, null, null, null,
                null, null);
        JobTiming retried = new JobTiming(j.jobKey(), j.label(), j.slurmJobId(), 2, j.state(), j.nodes(), j.gpus(),
                j.points(), j.submittedAt(), j.startedAt(), j.endedAt(), j.modelLoad(), j.benchmark(),
                j.reusedFromRun(), j.logsHref(), j.slurmLogHref(), j.archiveHref(), j.missing(), second,
                List.of(new JobTiming.EarlierAttempt(first, j.gpus(), "../../outputs/run-3/" + j.jobKey()
                        + "/attempts/attempt-1/logs", null, "../../outputs/run-3/" + j.jobKey()
                        + "/attempts/attempt-1/failure.tar.gz")));
        List<JobTiming> out = new ArrayList<>(jobs);
        out.set(0, retried);
        return out;
    }
}
