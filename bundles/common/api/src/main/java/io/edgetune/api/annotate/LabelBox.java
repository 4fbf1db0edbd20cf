package io.edgetune.api.annotate;

/** A labelled box in image pixels. */
public record LabelBox(String label, float x, float y, float width, float height, float score) {
}
