package io.edgetune.api.detect;

import java.util.Map;

/**
 * @param backend          engine in use, e.g. "tflite-javacpp" or "djl-tflite"
 * @param accelerator      "edgetpu" when the Edge TPU delegate is attached, else "cpu"
 * @param note             why the accelerator is what it is (e.g. the Edge TPU fallback reason)
 * @param modelVersion     the gateway default model (cameras without a model of their own run it)
 * @param dropped          requests refused because the queue was full
 * @param build            which build of the default model's package runs: "edgetpu", "int8-cpu" or "float-cpu" (empty when unknown)
 * @param buildReason      why that build and not a faster one, e.g. "Edge TPU unavailable: ...; running the int8 build on CPU"
 * @param cameraModels     cameras with a model of their own: camera id to the version loaded for it
 * @param loadedModels     models held in memory (the default and the cameras' own, each version once)
 * @param loadedModelBytes size of their model files, the memory their weights take
 */
public record DetectorStatus(String backend, String accelerator, String note, String modelVersion,
                             int queueDepth, long inferences, long dropped, double meanInferenceMillis,
                             String build, String buildReason,
                             Map<String, String> cameraModels, int loadedModels, long loadedModelBytes) {

    public DetectorStatus {
        build = build == null ? "" : build;
        buildReason = buildReason == null ? "" : buildReason;
        cameraModels = cameraModels == null ? Map.of() : Map.copyOf(cameraModels);
    }

    /** A detector with one model for every camera, not saying which build runs. */
    public DetectorStatus(String backend, String accelerator, String note, String modelVersion,
                          int queueDepth, long inferences, long dropped, double meanInferenceMillis) {
        this(backend, accelerator, note, modelVersion, queueDepth, inferences, dropped, meanInferenceMillis, "", "");
    }

    /** A detector with one model for every camera. */
    public DetectorStatus(String backend, String accelerator, String note, String modelVersion,
                          int queueDepth, long inferences, long dropped, double meanInferenceMillis,
                          String build, String buildReason) {
        this(backend, accelerator, note, modelVersion, queueDepth, inferences, dropped, meanInferenceMillis, build, buildReason,
                Map.of(), modelVersion == null ? 0 : 1, 0);
    }

    /** A detector with models per camera, not saying which build runs. */
    public DetectorStatus(String backend, String accelerator, String note, String modelVersion,
                          int queueDepth, long inferences, long dropped, double meanInferenceMillis,
                          Map<String, String> cameraModels, int loadedModels, long loadedModelBytes) {
        this(backend, accelerator, note, modelVersion, queueDepth, inferences, dropped, meanInferenceMillis, "", "",
                cameraModels, loadedModels, loadedModelBytes);
    }

    /** The model a camera runs: its own, else the default. */
    public String modelVersion(String cameraId) {
        return cameraModels.getOrDefault(cameraId, modelVersion);
    }
}
