package io.sweepd.triage;

import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The serving framework a job runs, as diagnoses name it: an SGLang job's fix speaks of SGLang's settings
 * ({@code --mem-fraction-static}), a vLLM job's of vLLM's ({@code --gpu-memory-utilization}).
 */
final class Frameworks {

    static final String VLLM = "vllm";
    static final String SGLANG = "sglang";
    static final String TRTLLM = "trtllm";
    static final List<String> KNOWN = List.of(SGLANG, TRTLLM, VLLM);

    /** How each framework shows itself in a log: its package path, its logger, its entry points. */
    private static final Pattern SGLANG_MARK = Pattern.compile("sglang[./]|\\bSGLang\\b|launch_server\\.py|Scheduler hit an exception");
    private static final Pattern TRTLLM_MARK = Pattern.compile("tensorrt_llm|TensorRT-LLM|\\bTRT-LLM\\b|trtllm");
    private static final Pattern VLLM_MARK = Pattern.compile("vllm[./]|\\bvLLM\\b|\\(EngineCore|VllmWorker|\\bvllm:");

    private Frameworks() {
    }

    /**
     * The framework a plan's framework name means ({@code dynamo-sglang}, {@code sglang-disagg}, {@code trt}...),
     * or null for a name that is none of them.
     */
    static String of(String name) {
        if (name == null) {
            return null;
        }
        String lower = name.toLowerCase(Locale.ROOT);
        if (lower.contains(SGLANG)) {
            return SGLANG;
        }
        if (lower.contains("trt")) {
            return TRTLLM;
        }
        if (lower.contains(VLLM)) {
            return VLLM;
        }
        return null;
    }

    /** The framework whose marks the lines show most often, or null when none shows. */
    static String guess(Iterable<String> lines) {
        int sglang = 0;
        int trtllm = 0;
        int vllm = 0;
        for (String line : lines) {
            sglang += count(SGLANG_MARK.matcher(line));
            trtllm += count(TRTLLM_MARK.matcher(line));
            vllm += count(VLLM_MARK.matcher(line));
        }
        if (sglang == 0 && trtllm == 0 && vllm == 0) {
            return null;
        }
        if (sglang >= trtllm && sglang >= vllm) {
            return SGLANG;
        }
        return trtllm >= vllm ? TRTLLM : VLLM;
    }

    private static int count(Matcher m) {
        return m.find() ? 1 : 0;
    }
}
