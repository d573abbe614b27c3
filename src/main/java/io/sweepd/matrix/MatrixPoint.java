package io.sweepd.matrix;

import io.sweepd.sweep.WorkerSpec;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One matrix entry exactly as InferenceMAX's {@code full-sweep} generator emits it.
 * Single-node points carry tp/ep/dpAttn and exactly one concurrency; multinode points carry
 * prefill/decode and the search-space item's whole concurrency list.
 *
 * @param configKey the master-config key the point came from (not an InferenceMAX matrix field)
 * @param evalConc  multinode only: the concurrency the eval runs at, when {@code runEval}
 */
public record MatrixPoint(
        String configKey,
        String image,
        String model,
        String modelPrefix,
        String precision,
        String framework,
        String runner,
        int isl,
        int osl,
        Integer tp,
        Integer ep,
        Boolean dpAttn,
        String specDecoding,
        WorkerSpec prefill,
        WorkerSpec decode,
        List<Integer> conc,
        int maxModelLen,
        String expName,
        boolean disagg,
        boolean multinode,
        boolean runEval,
        Integer evalConc) {

    public MatrixPoint {
        conc = List.copyOf(conc);
    }

    public MatrixPoint withEval(boolean runEval, Integer evalConc) {
        return new MatrixPoint(configKey, image, model, modelPrefix, precision, framework, runner, isl, osl, tp, ep,
                dpAttn, specDecoding, prefill, decode, conc, maxModelLen, expName, disagg, multinode, runEval, evalConc);
    }

    public MatrixPoint withRunner(String newRunner) {
        return new MatrixPoint(configKey, image, model, modelPrefix, precision, framework, newRunner, isl, osl, tp, ep,
                dpAttn, specDecoding, prefill, decode, conc, maxModelLen, expName, disagg, multinode, runEval, evalConc);
    }

    /** The single concurrency of a single-node point. */
    public int singleConc() {
        if (multinode) {
            throw new IllegalStateException("multinode point has a concurrency list: " + conc);
        }
        return conc.get(0);
    }

    /**
     * The point under InferenceMAX's field names and in the generator's key order, so the output can be
     * compared field for field with the generator's JSON (and read by tools that read that JSON).
     */
    public Map<String, Object> toInferenceMax() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("image", image);
        out.put("model", model);
        out.put("model-prefix", modelPrefix);
        out.put("precision", precision);
        out.put("framework", framework);
        out.put("runner", runner);
        out.put("isl", isl);
        out.put("osl", osl);
        if (multinode) {
            out.put("spec-decoding", specDecoding);
            out.put("prefill", worker(prefill));
            out.put("decode", worker(decode));
            out.put("conc", conc);
            out.put("max-model-len", maxModelLen);
            out.put("exp-name", expName);
            out.put("disagg", disagg);
            out.put("run-eval", runEval);
            if (runEval && evalConc != null) {
                out.put("eval-conc", evalConc);
            }
        } else {
            out.put("tp", tp);
            out.put("conc", singleConc());
            out.put("max-model-len", maxModelLen);
            out.put("ep", ep);
            out.put("dp-attn", dpAttn);
            out.put("spec-decoding", specDecoding);
            out.put("exp-name", expName);
            out.put("disagg", disagg);
            out.put("run-eval", runEval);
        }
        return out;
    }

    private static Map<String, Object> worker(WorkerSpec worker) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("num-worker", worker.numWorker());
        out.put("tp", worker.tp());
        out.put("ep", worker.ep());
        out.put("dp-attn", worker.dpAttn());
        if (worker.additionalSettings() != null) {
            out.put("additional-settings", worker.additionalSettings());
        }
        return out;
    }
}
