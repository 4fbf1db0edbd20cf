/**
 * Cloud side of model delivery: {@link io.edgetune.model.delivery.ModelPackager}
 * builds signed model packages, {@link io.edgetune.model.delivery.ModelSender}
 * delivers them to gateways over EDGETUNE-V1 requests (see docs/mqtt.md section 6).
 */
@org.osgi.annotation.versioning.Version("1.0.0")
@org.osgi.annotation.bundle.Export
package io.edgetune.model.delivery;
