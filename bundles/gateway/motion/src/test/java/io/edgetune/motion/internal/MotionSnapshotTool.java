package io.edgetune.motion.internal;

import io.edgetune.motion.engine.MaskPolygon;
import io.edgetune.motion.engine.MotionEngine;
import io.edgetune.motion.engine.MotionSettings;
import io.edgetune.api.motion.MotionResult;
import java.io.File;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

/**
 * Writes debug PNGs (frame, motion tint, moving areas, crops) for chosen
 * frames of the sample video, to look at rather than read:
 * {@code MotionSnapshotTool <outDir> <model> <frame> [frame...]}. System properties:
 * {@code -Dmask="x,y x,y x,y; ..."} adds mask polygons, {@code -Dlight=N} scales the
 * brightness by 1.6 from frame N on (the lighting test).
 */
public final class MotionSnapshotTool {

    private MotionSnapshotTool() {
    }

    public static void main(String[] args) throws Exception {
        File out = new File(args.length > 0 ? args[0] : "target/motion-snapshots");
        MotionSettings.Model model = args.length > 1 ? MotionSettings.Model.valueOf(args[1]) : MotionSettings.Model.MOG2;
        Set<Integer> wanted = new HashSet<>();
        Arrays.stream(args).skip(2).forEach(a -> wanted.add(Integer.parseInt(a)));
        if (wanted.isEmpty()) {
            wanted.addAll(Set.of(30, 100, 200, 400, 600));
        }
        int last = wanted.stream().max(Integer::compare).orElse(0);
        MotionSettings settings = MotionSettings.defaults().withModel(model)
                .withMasks(MaskPolygon.parse(System.getProperty("mask", "")));
        int light = Integer.getInteger("light", Integer.MAX_VALUE);
        try (MotionEngine engine = new MotionEngine(settings)) {
            SampleVideo.each(0, last, (frame, image) -> {
                if (frame.sequence() >= light) {
                    image.convertTo(image, -1, 1.6, 0);
                }
                MotionResult r = engine.process(frame);
                if (wanted.contains((int) frame.sequence())) {
                    File png = new File(out, DebugSnapshots.fileName(model.name().toLowerCase(), frame.sequence(), r.state()));
                    DebugSnapshots.write(png, image, engine, r);
                    System.out.println(png + " " + r.state() + " regions " + r.regions() + " moving " + engine.lastMovingAreas());
                }
            });
        }
    }
}
