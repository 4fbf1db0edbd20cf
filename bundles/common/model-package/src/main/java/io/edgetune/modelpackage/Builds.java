package io.edgetune.modelpackage;

/**
 * Hex SHA-256 of the optional builds beside the float {@code model.tflite}:
 * the full-integer build ({@link PackageLayout#INT8_MODEL}) and its Edge TPU
 * compilation ({@link PackageLayout#EDGETPU_MODEL}); null when the package
 * does not carry that build.
 */
public record Builds(String int8Sha256, String edgeTpuSha256) {

    public static final Builds NONE = new Builds(null, null);
}
