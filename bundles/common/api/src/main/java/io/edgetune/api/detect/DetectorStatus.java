package io.edgetune.api.detect;

/**
 * @param backend      engine in use, e.g. "tflite-javacpp" or "djl-tflite"
 * @param accelerator  "edgetpu" when the Edge TPU delegate is attached, else "cpu"
 * @param note         why the accelerator is what it is (e.g. the Edge TPU fallback reason)
 * @param dropped      requests refused because the queue was full
 */
public record DetectorStatus(String backend, String accelerator, String note, String modelVersion,
                             int queueDepth, long inferences, long dropped, double meanInferenceMillis) {
}
