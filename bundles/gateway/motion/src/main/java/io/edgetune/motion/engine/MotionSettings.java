package io.edgetune.motion.engine;

import java.util.List;

/**
 * Everything that tunes one camera's motion stage. Plain values so the
 * engine and its tests need no OSGi; the component's configuration (MotionConfig) maps onto it.
 *
 * @param model             background model
 * @param processHeight     height of the grayscale frame motion runs on (width follows the aspect ratio)
 * @param blurSize          Gaussian blur kernel on the small frame (odd; 0 or 1 = none) against sensor noise
 * @param mog2History       MOG2: frames of history
 * @param mog2VarThreshold  MOG2: squared Mahalanobis distance that counts as foreground
 * @param averageAlpha      running average: weight of the newest frame in the background
 * @param deltaThreshold    running average: gray-level difference that counts as motion
 * @param morphSize         kernel size of the opening (removes specks) and the dilation (joins body parts)
 * @param warmupFrames      frames fed to a fresh background before regions are reported
 * @param minArea           smallest moving blob kept, in full-frame pixels
 * @param lightingChange    relative jump of the mean brightness that counts as a lighting change
 * @param globalChange      fraction of changed pixels in one frame that counts as a global change (shake, exposure)
 * @param relearnFrames     frames after a lighting reset that are spent relearning the background
 * @param cropAspect        width/height of the detector input (1.0 for 300x300)
 * @param minCropSize       smallest crop side in full-frame pixels
 * @param cropPadding       margin added around a moving area, as a fraction of its size
 * @param maxRegions        most crops per frame; more are merged
 * @param fullFrameFraction when the crops cover this fraction of the frame, the full frame is used instead
 * @param masks             polygons ignored by motion, in fractions of frame width and height
 * @param stabilize         align each frame to the background's reference frame (phase correlation) against camera shake
 * @param maxShake          largest shift, as a fraction of the frame width, that is aligned; a larger one resets the background
 */
public record MotionSettings(Model model, int processHeight, int blurSize, int mog2History, double mog2VarThreshold,
                             double averageAlpha, int deltaThreshold, int morphSize, int warmupFrames, int minArea,
                             double lightingChange, double globalChange, int relearnFrames,
                             double cropAspect, int minCropSize, double cropPadding, int maxRegions,
                             double fullFrameFraction, List<MaskPolygon> masks, boolean stabilize, double maxShake) {

    public enum Model { MOG2, RUNNING_AVERAGE }

    public MotionSettings {
        require(processHeight >= 16 && processHeight <= 1080, "motion.height must be within 16..1080");
        require(blurSize >= 0 && blurSize <= 31, "blur.size must be within 0..31");
        require(mog2History >= 1, "mog2.history must be positive");
        require(mog2VarThreshold > 0, "mog2.var.threshold must be positive");
        require(averageAlpha > 0 && averageAlpha <= 1, "average.alpha must be within (0, 1]");
        require(deltaThreshold >= 1 && deltaThreshold <= 255, "delta.threshold must be within 1..255");
        require(morphSize >= 1 && morphSize <= 31, "morph.size must be within 1..31");
        require(warmupFrames >= 0, "warmup.frames must not be negative");
        require(minArea >= 0, "min.area must not be negative");
        require(lightingChange > 0, "lighting.change must be positive");
        require(globalChange > 0 && globalChange <= 1, "global.change must be within (0, 1]");
        require(relearnFrames >= 1, "relearn.frames must be at least 1");
        require(cropAspect >= 0.1 && cropAspect <= 10, "crop.aspect must be within 0.1..10");
        require(minCropSize >= 1, "crop.min.size must be positive");
        require(cropPadding >= 0 && cropPadding <= 2, "crop.padding must be within 0..2");
        require(maxRegions >= 1, "regions.max must be at least 1");
        require(fullFrameFraction > 0 && fullFrameFraction <= 1, "fullframe.fraction must be within (0, 1]");
        require(maxShake > 0 && maxShake <= 0.5, "shake.max must be within (0, 0.5]");
        masks = masks == null ? List.of() : List.copyOf(masks);
        if (blurSize > 1 && blurSize % 2 == 0) {
            blurSize++;
        }
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }

    /** The defaults of the web console. */
    public static MotionSettings defaults() {
        return new MotionSettings(Model.MOG2, 100, 3, 200, 16, 0.05, 25, 3, 20, 400,
                0.25, 0.6, 5, 1.0, 96, 0.15, 4, 0.6, List.of(), true, 0.05);
    }

    public MotionSettings withModel(Model m) {
        return new MotionSettings(m, processHeight, blurSize, mog2History, mog2VarThreshold, averageAlpha,
                deltaThreshold, morphSize, warmupFrames, minArea, lightingChange, globalChange, relearnFrames,
                cropAspect, minCropSize, cropPadding, maxRegions, fullFrameFraction, masks, stabilize, maxShake);
    }

    public MotionSettings withMasks(List<MaskPolygon> m) {
        return new MotionSettings(model, processHeight, blurSize, mog2History, mog2VarThreshold, averageAlpha,
                deltaThreshold, morphSize, warmupFrames, minArea, lightingChange, globalChange, relearnFrames,
                cropAspect, minCropSize, cropPadding, maxRegions, fullFrameFraction, m, stabilize, maxShake);
    }

    public MotionSettings withStabilize(boolean on) {
        return new MotionSettings(model, processHeight, blurSize, mog2History, mog2VarThreshold, averageAlpha,
                deltaThreshold, morphSize, warmupFrames, minArea, lightingChange, globalChange, relearnFrames,
                cropAspect, minCropSize, cropPadding, maxRegions, fullFrameFraction, masks, on, maxShake);
    }

    public MotionSettings withProcessHeight(int h) {
        return new MotionSettings(model, h, blurSize, mog2History, mog2VarThreshold, averageAlpha,
                deltaThreshold, morphSize, warmupFrames, minArea, lightingChange, globalChange, relearnFrames,
                cropAspect, minCropSize, cropPadding, maxRegions, fullFrameFraction, masks, stabilize, maxShake);
    }

    public MotionSettings withMinCropSize(int size) {
        return new MotionSettings(model, processHeight, blurSize, mog2History, mog2VarThreshold, averageAlpha,
                deltaThreshold, morphSize, warmupFrames, minArea, lightingChange, globalChange, relearnFrames,
                cropAspect, size, cropPadding, maxRegions, fullFrameFraction, masks, stabilize, maxShake);
    }
}
