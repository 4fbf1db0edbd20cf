package io.edgetune.annotator.internal;

/**
 * Train/validation split by time blocks. Time is cut into blocks of
 * {@code blockMillis} (from the epoch, so the rule needs no state); every
 * {@code validationEvery}-th block goes to validation, the others to training.
 * Samples closer than half of {@code guardMillis} to a boundary between a
 * training and a validation block belong to neither (they stay on disk), so no
 * training sample is ever closer than {@code guardMillis} in time to a
 * validation sample: near-duplicate consecutive frames cannot leak across.
 * A sample's split depends on its own timestamp only, so adding samples never
 * moves earlier ones.
 */
public record SplitRule(long blockMillis, int validationEvery, long guardMillis) {

    public enum Split {
        TRAIN("train"), VAL("val"), GUARD("guard");

        private final String key;

        Split(String key) {
            this.key = key;
        }

        public String key() {
            return key;
        }
    }

    public SplitRule {
        if (blockMillis <= 0 || validationEvery < 2 || guardMillis < 0 || guardMillis >= blockMillis) {
            throw new IllegalArgumentException("split rule needs block > 0, validation every >= 2 blocks and 0 <= guard < block: "
                    + blockMillis + " ms, " + validationEvery + ", " + guardMillis + " ms");
        }
    }

    /** 10-minute blocks, every 5th to validation (20%), 30 s guard. */
    public static SplitRule defaults() {
        return new SplitRule(600_000L, 5, 30_000L);
    }

    public Split splitOf(long timestampMillis) {
        long block = Math.floorDiv(timestampMillis, blockMillis);
        Split own = splitOfBlock(block);
        long into = timestampMillis - block * blockMillis;
        long half = guardMillis / 2;
        if (into < half && splitOfBlock(block - 1) != own) {
            return Split.GUARD;
        }
        if (blockMillis - into <= half && splitOfBlock(block + 1) != own) {
            return Split.GUARD;
        }
        return own;
    }

    private Split splitOfBlock(long block) {
        return Math.floorMod(block, validationEvery) == validationEvery - 1 ? Split.VAL : Split.TRAIN;
    }
}
