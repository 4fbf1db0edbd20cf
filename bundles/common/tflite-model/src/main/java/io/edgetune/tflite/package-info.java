/**
 * The TFLite flatbuffer as an editable object model: read a {@code .tflite} file into
 * {@link io.edgetune.tflite.TfliteModel}, change tensors, quantization, operators or buffers, and write it back;
 * {@link io.edgetune.tflite.QuantizationCheck} refuses mis-quantized models with a reason, and
 * {@link io.edgetune.tflite.Quantizer} turns a float detector into a full-integer one from calibrated ranges.
 * Pure Java: usable on the gateway and on the cloud side alike. Not thread-safe: one model per thread.
 */
@org.osgi.annotation.versioning.Version("1.0.0")
@org.osgi.annotation.bundle.Export
package io.edgetune.tflite;
