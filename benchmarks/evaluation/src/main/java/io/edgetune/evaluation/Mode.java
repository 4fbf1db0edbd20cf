package io.edgetune.evaluation;

/** The three ways of processing the same video that the evaluation compares. */
enum Mode {
    NAIVE("a", "naive loop", "decode + full-frame inference on every frame"),
    GATED("b", "motion gating", "EdgeTune motion stage; full-frame inference only on frames with motion"),
    REGIONS("c", "motion regions", "EdgeTune motion stage; inference on the moving regions' crops only");

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
