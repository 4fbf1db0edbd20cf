package io.edgetune.inference.regions;

/** The shipped defaults of region mode: the detector's MetaType defaults and the evaluation harness read them from here. */
public final class RegionModeDefaults {

    /** Crops share one detector input as a 2x2 mosaic. */
    public static final boolean MOSAIC = true;

    /** At most this many detector passes per frame; beyond them the frame runs whole. */
    public static final int PASSES_MAX = 1;

    /** Every this many inferences of a camera run on the full frame (objects that do not move). */
    public static final int FULLFRAME_EVERY = 10;

    private RegionModeDefaults() {
    }
}
