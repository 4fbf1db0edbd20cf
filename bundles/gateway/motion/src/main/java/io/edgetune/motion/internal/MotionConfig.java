package io.edgetune.motion.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

/** Motion settings of one camera as the Kura web console shows them (one factory instance per camera). */
@ObjectClassDefinition(id = MotionDetectorComponent.PID, name = "EdgeTune motion detector",
        description = "Finds what moved in one camera's frames and proposes detector-sized crops; a static scene needs no inference.")
public @interface MotionConfig {

    @AttributeDefinition(name = "camera.id", description = "The camera whose frames this detector takes (camera.id of an EdgeTune camera).")
    String camera_id() default "camera1";

    @AttributeDefinition(name = "model", description = "Background model: MOG2 (Gaussian mixture, robust) or a running average (cheaper).",
            options = {@Option(label = "MOG2", value = "MOG2"), @Option(label = "Running average", value = "RUNNING_AVERAGE")})
    String model() default "MOG2";

    @AttributeDefinition(name = "motion.height", description = "Height in pixels of the grayscale frame motion runs on; regions are mapped back to full resolution.", min = "16", max = "1080")
    int motion_height() default 100;

    @AttributeDefinition(name = "blur.size", description = "Gaussian blur kernel on the small frame against sensor noise (odd; 0 = off).", min = "0", max = "31")
    int blur_size() default 3;

    @AttributeDefinition(name = "mog2.history", description = "MOG2: frames of history (things that stop moving fade into the background over about this many frames).", min = "1")
    int mog2_history() default 200;

    @AttributeDefinition(name = "mog2.var.threshold", description = "MOG2: squared distance from the background model that counts as motion; higher = less sensitive.", min = "1")
    double mog2_var_threshold() default 16;

    @AttributeDefinition(name = "average.alpha", description = "Running average: weight of each new frame in the background (0..1).", min = "0.001", max = "1")
    double average_alpha() default 0.05;

    @AttributeDefinition(name = "delta.threshold", description = "Running average: gray-level difference from the background that counts as motion.", min = "1", max = "255")
    int delta_threshold() default 25;

    @AttributeDefinition(name = "morph.size", description = "Kernel size of the opening that removes specks and of the dilation that joins parts of one object.", min = "1", max = "31")
    int morph_size() default 3;

    @AttributeDefinition(name = "warmup.frames", description = "Frames fed to a new background before motion is reported (state WARMUP).", min = "0")
    int warmup_frames() default 20;

    @AttributeDefinition(name = "min.area", description = "Smallest moving blob kept, in full-frame pixels (area).", min = "0")
    int min_area() default 400;

    @AttributeDefinition(name = "lighting.change", description = "Relative jump of the mean brightness between frames that counts as a lighting change: the background is relearnt (state LIGHTING_RESET) instead of reporting motion everywhere.", min = "0.01")
    double lighting_change() default 0.25;

    @AttributeDefinition(name = "global.change", description = "Fraction of the frame changing at once that counts as a global change (exposure, camera shake) and resets the background.", min = "0.01", max = "1")
    double global_change() default 0.6;

    @AttributeDefinition(name = "relearn.frames", description = "Frames after a lighting reset spent relearning the background (no regions).", min = "1")
    int relearn_frames() default 5;

    @AttributeDefinition(name = "crop.aspect", description = "Width/height of the detector input; 1.0 for a 300x300 network.", min = "0.1", max = "10")
    double crop_aspect() default 1.0;

    @AttributeDefinition(name = "crop.min.size", description = "Smallest crop height in full-frame pixels (the detector sees small objects at a useful scale: "
            + "a 96 px crop fills a quarter of the detector's region-mode mosaic at 1.6x, or a whole 300 px input at 3x).", min = "1")
    int crop_min_size() default 96;

    @AttributeDefinition(name = "crop.padding", description = "Margin added around a moving area, as a fraction of its width and height.", min = "0", max = "2")
    double crop_padding() default 0.15;

    @AttributeDefinition(name = "regions.max", description = "Most crops per frame; closest crops are merged beyond this.", min = "1")
    int regions_max() default 4;

    @AttributeDefinition(name = "fullframe.fraction", description = "When the crops would cover this fraction of the frame, the full frame is used instead.", min = "0.05", max = "1")
    double fullframe_fraction() default 0.6;

    @AttributeDefinition(name = "masks", description = "Areas to ignore: polygons as 'x1,y1 x2,y2 x3,y3; x1,y1 ...', coordinates are FRACTIONS (0..1) of the frame width and height, e.g. '0.85,0 1,0 1,0.1 0.85,0.1' for a clock in the top right corner.", required = false)
    String masks() default "";

    @AttributeDefinition(name = "stabilize", description = "Align every frame to the background's reference by phase correlation, so a shaking camera (wind, traffic) does not look like motion.")
    boolean stabilize() default true;

    @AttributeDefinition(name = "shake.max", description = "Largest shift aligned, as a fraction of the frame width; a larger jump (the camera was moved) resets the background.", min = "0.005", max = "0.5")
    double shake_max() default 0.05;

    @AttributeDefinition(name = "queue.size", description = "Frames waiting for motion; when full the oldest is dropped (and counted).", min = "1", max = "4")
    int queue_size() default 2;

    @AttributeDefinition(name = "debug.enabled", description = "Write PNG snapshots (frame, motion tint, moving areas, crops) to debug.dir.")
    boolean debug_enabled() default false;

    @AttributeDefinition(name = "debug.dir", description = "Directory for debug snapshots.")
    String debug_dir() default "/tmp/edgetune-motion-debug";

    @AttributeDefinition(name = "debug.every.frames", description = "Write one snapshot every this many frames, and on every state change.", min = "1")
    int debug_every_frames() default 50;

    @AttributeDefinition(name = "debug.max.files", description = "Stop writing snapshots after this many (protects the SD card).", min = "1")
    int debug_max_files() default 200;
}
