package io.sweepd.matrix;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.sweepd.json.Json;

import java.io.UncheckedIOException;
import java.util.List;

/** The matrix as InferenceMAX's generator prints it: one JSON array of its point objects, on one line. */
public final class MatrixJson {

    private MatrixJson() {
    }

    public static String render(List<MatrixPoint> points) {
        try {
            return Json.MAPPER.writeValueAsString(points.stream().map(MatrixPoint::toInferenceMax).toList());
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
