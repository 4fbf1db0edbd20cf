package io.edgetune.api.annotate;

/** A person's opinion of the teacher's labels on a frame. */
public enum Verdict {
    /** Not reviewed: used as labelled. */
    PENDING,
    /** Reviewed and correct: used as labelled. */
    ACCEPTED,
    /** Reviewed and wrong: not used for training or validation. */
    REJECTED
}
