package io.edgetune.api.annotate;

import java.io.IOException;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The annotator's datasets (one per gateway and camera), the review verdicts a
 * person gives on their frames, and the retraining rounds.
 */
@ProviderType
public interface AnnotatorService {

    /** One summary per camera dataset, ordered by gateway then camera. */
    List<DatasetSummary> datasets();

    /** Frames of one dataset, newest first, {@code offset}/{@code limit} paged. Empty when the dataset is unknown. */
    List<ReviewItem> items(String gateway, String camera, int offset, int limit);

    /** The JPEG of one frame as uploaded, empty when unknown. */
    Optional<byte[]> image(String gateway, String camera, long imageId) throws IOException;

    /**
     * Records a person's verdict on a frame. Rejected frames leave the training
     * and validation sets at the next export or retraining round.
     *
     * @throws IllegalArgumentException for an unknown dataset or image
     */
    void review(String gateway, String camera, long imageId, Verdict verdict) throws IOException;

    /**
     * The classes a box of the camera's dataset may have (the model's label map without the background entry),
     * in label map order; empty when the dataset is unknown.
     */
    default List<String> classes(String gateway, String camera) {
        return List.of();
    }

    /**
     * Stores a person's boxes for a frame (append-only, beside the teacher's): from then on they replace the
     * teacher's labels of that frame in training and evaluation. The boxes may be empty (a frame with nothing to
     * label). Optimistic concurrency: {@code revision} is the frame's {@link ReviewItem#revision()} the person
     * edited; the call succeeds only when it is still the frame's revision.
     *
     * @return the frame's new revision
     * @throws NoSuchElementException   for an unknown dataset or image
     * @throws IllegalArgumentException for a box outside the frame, smaller than a pixel or of an unknown class
     * @throws StaleRevisionException   when someone else stored boxes for the frame since {@code revision}
     */
    default int saveBoxes(String gateway, String camera, long imageId, int revision, List<LabelBox> boxes) throws IOException {
        throw new UnsupportedOperationException("this annotator does not store edited boxes");
    }

    /** Starts a retraining round for the camera now (asynchronously); false when one is already running. */
    boolean requestTraining(String gateway, String camera);

    /** The running or last retraining round. */
    TrainingStatus training();
}
