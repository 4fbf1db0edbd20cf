/**
 * The Kura/Kapua wire format: KuraPayload protobuf encoding and the MQTT topic
 * namespace. Used by the gateway's cloud connection and by cloud-side clients
 * (annotator, tests, third parties).
 */
@org.osgi.annotation.versioning.Version("1.1.0")
@org.osgi.annotation.bundle.Export
package io.edgetune.cloud.mqtt.codec;
