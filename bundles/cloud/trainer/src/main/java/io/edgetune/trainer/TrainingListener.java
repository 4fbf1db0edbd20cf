package io.edgetune.trainer;

/** Told about the trainer's progress; called on the training thread, so keep it short. */
public interface TrainingListener {

    void progress(TrainingProgress p);
}
