package io.edgetune.api.detect;

/**
 * @param backend      engine in use, e.g. "tflite-javacpp" or "djl-tflite"
 * @param accelerator  "edgetpu" when the Edge TPU delegate is attached, else "cpu"
 * @param note         why the accelerator is what it is (e.g. the Edge TPU fallback reason)
 * @param dropped      requests refused because the queue was full
 * @param build        which build of the model package runs: "edgetpu", "int8-cpu" or "float-cpu" (empty when unknown)
 * @param buildReason  why that build and not a faster one, e.g. "Edge TPU unavailable: ...; running the int8 build on CPU"
 */
public record DetectorStatus(String backend, String accelerator, String note, String modelVersion,
                             int queueDepth, long inferences, long dropped, double meanInferenceMillis,
                             String build, String buildReason) {

    /** A status that does not say which build runs. */
    public DetectorStatus(String backend, String accelerator, String note, String modelVersion,
                          int queueDepth, long inferences, long dropped, double meanInferenceMillis) {
        this(backend, accelerator, note, modelVersion, queueDepth, inferences, dropped, meanInferenceMillis, "", "");
    }
}
