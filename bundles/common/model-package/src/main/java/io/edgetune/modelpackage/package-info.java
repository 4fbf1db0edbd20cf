/**
 * The signed model package, the one format the cloud side writes and the
 * gateway reads (docs/inference.md "Model package"): a flat zip of
 * {@code model.tflite} (plus, optionally, its int8 build
 * {@code model_int8.tflite} and that build compiled for the Edge TPU,
 * {@code model_edgetpu.tflite}), {@code manifest.json} (the model descriptor as JSON,
 * with the model's SHA-256) and {@code manifest.sig} (base64 Ed25519 signature
 * of the exact manifest bytes); the same files make up a version directory in
 * the gateway's model store.
 *
 * <p>{@link io.edgetune.modelpackage.ModelPackages} builds and unpacks
 * packages, {@link io.edgetune.modelpackage.Manifest} maps descriptors to and
 * from JSON, {@link io.edgetune.modelpackage.PackageSigning} signs and handles
 * keys, {@link io.edgetune.modelpackage.PackageVerifier} checks signatures
 * against the trusted key and {@link io.edgetune.modelpackage.PackageGate}
 * refuses oversized and unsigned packages before anything is unpacked;
 * {@link io.edgetune.modelpackage.LabelFile} reads plain and Coral-style label files.
 */
@Version("1.2.0")
@Export
package io.edgetune.modelpackage;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
