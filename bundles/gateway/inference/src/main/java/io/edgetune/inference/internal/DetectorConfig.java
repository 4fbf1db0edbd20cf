package io.edgetune.inference.internal;

import io.edgetune.inference.engine.EngineOptions;
import io.edgetune.inference.regions.RegionModeDefaults;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

@ObjectClassDefinition(id = DetectorComponent.PID, name = "EdgeTune detector",
        description = "The shared object detector: one TensorFlow Lite engine (optionally on a Coral Edge TPU) serving every camera, "
                + "and the on-disk model registry.")
public @interface DetectorConfig {

    @AttributeDefinition(name = "Backend", description = "Inference engine. DJL is optional (its bundles must be installed) and much slower.",
            options = {@Option(label = "TensorFlow Lite 2.20 (JavaCPP, XNNPACK)", value = "javacpp"),
                       @Option(label = "DJL TensorFlow Lite engine", value = "djl")})
    String backend() default "javacpp";

    @AttributeDefinition(name = "Mode", description = "Run the detector on each motion crop, or on the whole frame.",
            options = {@Option(label = "Motion regions", value = "regions"), @Option(label = "Full frame", value = "full_frame")})
    String mode() default "regions";

    @AttributeDefinition(name = "Region mode: mosaic", description = "Region mode: let two to four motion crops share one detector pass, "
            + "each scaled into a quarter of the input (only when that still shows it larger than the full frame would); off runs one pass per crop.")
    boolean regions_mosaic() default RegionModeDefaults.MOSAIC;

    @AttributeDefinition(name = "Region mode: passes per frame", description = "Region mode: most detector passes for one frame; "
            + "crops that would need more run as one full-frame pass instead. 1 keeps region mode at the full frame's cost.", min = "1", max = "8")
    int regions_passes_max() default RegionModeDefaults.PASSES_MAX;

    @AttributeDefinition(name = "Region mode: full frame every", description = "Region mode: every this many inferences of a camera run on the "
            + "full frame, and what that pass finds outside the moving areas (parked cars, people standing still) is reported with the "
            + "crop passes that follow until the next one. 0 = never.", min = "0", max = "1000")
    int regions_fullframe_every() default RegionModeDefaults.FULLFRAME_EVERY;

    @AttributeDefinition(name = "Region mode: skip stationary", description = "Region mode, with the tracker installed: a motion crop "
            + "that lies within the boxes of stationary tracks (grown by a fifth of their size) and touches no other track reaching out of them is not "
            + "re-detected; a frame left with no crop runs no inference (counted as skipped: stationary). The periodic full-frame "
            + "pass still re-detects them, so it needs Region mode: full frame every above 0.")
    boolean regions_skip_stationary() default true;

    @AttributeDefinition(name = "Score threshold", description = "Minimum class probability (0..1) of a reported detection.", min = "0", max = "1")
    float score_threshold() default 0.4f;

    @AttributeDefinition(name = "NMS IoU", description = "Boxes of one class overlapping more than this are merged.", min = "0", max = "1")
    float nms_iou() default 0.5f;

    @AttributeDefinition(name = "Max detections", description = "Per frame.", min = "1")
    int max_detections() default 50;

    @AttributeDefinition(name = "Class allow-list", description = "Comma-separated labels to report (e.g. Person,Car); empty reports all.", required = false)
    String class_allowlist() default "";

    @AttributeDefinition(name = "Threads", description = "CPU threads of the interpreter.", min = "1", max = "16")
    int threads() default 2;

    @AttributeDefinition(name = "Queue depth", description = "Pending frames per camera (oldest dropped first).", min = "1", max = "8")
    int queue_depth() default 2;

    @AttributeDefinition(name = "Max models in memory", description = "Distinct model versions the detector holds at once: the default "
            + "and the cameras' own (cameras sharing a version count it once). A camera model that would need more is refused and the "
            + "camera keeps its model. Each takes about its file's size (9 MB for the base model) plus an interpreter.", min = "1", max = "16")
    int max_models() default SharedDetector.DEFAULT_MAX_MODELS;

    @AttributeDefinition(name = "Camera models", description = "Pins a camera to a model version: camera=version, one per entry "
            + "(camera=default: the camera runs the gateway default). Applied when this setting changes; commands "
            + "(models/activate with camera.id, models/rollback with camera.id) can pin or roll back in between.", required = false,
            cardinality = 64)
    String[] camera_models() default {};

    @AttributeDefinition(name = "Use Edge TPU", description = "Attach the Coral Edge TPU delegate (libedgetpu) when the model package has an Edge TPU build; "
            + "otherwise run on CPU and say why in the status.")
    boolean use_edgetpu() default true;

    @AttributeDefinition(name = "Edge TPU library", description = "File name or path of libedgetpu, opened at run time.")
    String edgetpu_library() default EngineOptions.DEFAULT_EDGETPU_LIBRARY;

    @AttributeDefinition(name = "Model registry directory", description = "Where model versions are kept; empty means models/ in EdgeTune's data "
            + "directory: ${edgetune.data}, else ${kura.data}/edgetune or ${kura.home}/data/edgetune on Kura, else edgetune-data in the working directory.", required = false)
    String model_dir() default "";

    @AttributeDefinition(name = "Assets directory", description = "Where the default model is seeded from on first start; empty means the "
            + "edgetune.assets system property or ~/.cache/edgetune.", required = false)
    String assets_dir() default "";

    @AttributeDefinition(name = "Trusted public key", description = "Ed25519 public key (base64, raw 32 bytes or X.509) that model packages "
            + "must be signed with; empty accepts unsigned packages with a warning.", required = false)
    String trusted_public_key() default "";
}
