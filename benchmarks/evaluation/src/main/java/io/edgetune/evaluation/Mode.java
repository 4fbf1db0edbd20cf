package io.edgetune.evaluation;

/** The three ways of processing the same video that the evaluation compares. */
enum Mode {
    NAIVE("a", "naive loop", "decode + full-frame inference on every frame"),
    GATED("b", "motion gating", "EdgeTune motion stage; full-frame inference only on frames with motion"),
    REGIONS("c", "motion regions", "EdgeTune motion stage; the moving regions' crops packed into detector passes (2x2 mosaic, at most one pass), a full-frame pass every 10th inference whose still objects are carried");

    final String letter;
    final String title;
    final String description;

    Mode(String letter, String title, String description) {
        this.letter = letter;
        this.title = title;
        this.description = description;
    }

    String label() {
        return "(" + letter + ") " + title;
    }
}
