package io.edgetune.tracker;

import io.edgetune.api.detect.Detection;
import io.edgetune.api.detect.Detections;
import io.edgetune.testsupport.VideoFrames;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Scenes with known ground truth made from the sample video: the background
 * is the per-pixel median of frames spread over the video (people walk, so
 * each pixel shows the ground most of the time); the objects are people cut
 * from real frames (the pixels of a confident detection's box that differ from
 * the background) and moved along straight paths over the background, drawn in
 * a fixed order so that later ones occlude earlier ones where paths cross.
 * The ground truth of an object in a frame is its cut-out's box at its
 * position.
 */
final class SyntheticScenes {

    static final int W = VideoFrames.WIDTH;
    static final int H = VideoFrames.HEIGHT;

    /** A cut-out person: its mask and pixels inside its tight box. */
    record Sprite(int w, int h, boolean[] mask, byte[] bgr) {
    }

    /** A sprite moving from (x0,y0) to (x1,y1) (top left corner) between frames from and to. */
    record Path(Sprite sprite, int from, int to, float x0, float y0, float x1, float y1) {
        boolean visible(int f) {
            return f >= from && f <= to;
        }

        float x(int f) {
            return to == from ? x0 : x0 + (x1 - x0) * (f - from) / (float) (to - from);
        }

        float y(int f) {
            return to == from ? y0 : y0 + (y1 - y0) * (f - from) / (float) (to - from);
        }
    }

    private SyntheticScenes() {
    }

    static byte[] background() throws Exception {
        int[] idx = new int[31];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = i * 25;
        }
        List<byte[]> frames = new ArrayList<>(VideoFrames.bgr(idx).values());
        byte[] out = new byte[W * H * 3];
        int[] v = new int[frames.size()];
        for (int p = 0; p < out.length; p++) {
            for (int k = 0; k < v.length; k++) {
                v[k] = frames.get(k)[p] & 0xff;
            }
            Arrays.sort(v);
            out[p] = (byte) v[v.length / 2];
        }
        return out;
    }

    /**
     * Up to {@code count} people from the real detections: confident, tall
     * enough, apart from every other box of their frame, from frames at least
     * 20 apart.
     */
    static List<Sprite> sprites(List<Detections> detections, byte[] bg, int count) throws Exception {
        List<Sprite> out = new ArrayList<>();
        int lastFrame = -100;
        for (Detections d : detections) {
            int f = (int) d.frameSequence();
            if (f - lastFrame < 20) {
                continue;
            }
            for (Detection x : d.detections()) {
                if (!"Person".equals(x.label()) || x.score() < 0.6f || x.height() < 70 || x.x() < 1 || x.y() < 1
                        || x.right() > W - 1 || x.bottom() > H - 1 || !alone(x, d)) {
                    continue;
                }
                Sprite s = cut(VideoFrames.bgr(f), bg, x);
                if (s != null) {
                    out.add(s);
                    lastFrame = f;
                    break;
                }
            }
            if (out.size() == count) {
                break;
            }
        }
        return out;
    }

    private static boolean alone(Detection x, Detections d) {
        for (Detection o : d.detections()) {
            // another person (or object) overlapping would be cut out with it; parts of the person (shoes, clothes) may
            if (o != x && "Person".equals(o.label()) && o.iou(x) > 0 && o.score() >= 0.3f) {
                return false;
            }
        }
        return true;
    }

    private static Sprite cut(byte[] frame, byte[] bg, Detection x) {
        int bx = (int) x.x(), by = (int) x.y(), bw = (int) x.width(), bh = (int) x.height();
        boolean[] m = new boolean[bw * bh];
        int minX = bw, minY = bh, maxX = -1, maxY = -1, n = 0;
        for (int y = 0; y < bh; y++) {
            for (int xx = 0; xx < bw; xx++) {
                int p = ((by + y) * W + bx + xx) * 3;
                int diff = 0;
                for (int c = 0; c < 3; c++) {
                    diff = Math.max(diff, Math.abs((frame[p + c] & 0xff) - (bg[p + c] & 0xff)));
                }
                if (diff > 30) {
                    m[y * bw + xx] = true;
                    n++;
                    minX = Math.min(minX, xx);
                    maxX = Math.max(maxX, xx);
                    minY = Math.min(minY, y);
                    maxY = Math.max(maxY, y);
                }
            }
        }
        if (n < 0.2 * bw * bh) {
            return null; // too little differs from the background: not a clean cut
        }
        int w = maxX - minX + 1, h = maxY - minY + 1;
        boolean[] mask = new boolean[w * h];
        byte[] px = new byte[w * h * 3];
        for (int y = 0; y < h; y++) {
            for (int xx = 0; xx < w; xx++) {
                mask[y * w + xx] = m[(y + minY) * bw + xx + minX];
                int src = ((by + minY + y) * W + bx + minX + xx) * 3;
                System.arraycopy(frame, src, px, (y * w + xx) * 3, 3);
            }
        }
        return new Sprite(w, h, mask, px);
    }

    /** The scene's frame {@code f}: the background with every visible sprite pasted in path order. */
    static byte[] render(byte[] bg, List<Path> paths, int f) {
        byte[] out = bg.clone();
        for (Path p : paths) {
            if (!p.visible(f)) {
                continue;
            }
            Sprite s = p.sprite();
            int ox = Math.round(p.x(f)), oy = Math.round(p.y(f));
            for (int y = 0; y < s.h(); y++) {
                int fy = oy + y;
                if (fy < 0 || fy >= H) {
                    continue;
                }
                for (int x = 0; x < s.w(); x++) {
                    int fx = ox + x;
                    if (fx < 0 || fx >= W || !s.mask()[y * s.w() + x]) {
                        continue;
                    }
                    System.arraycopy(s.bgr(), (y * s.w() + x) * 3, out, (fy * W + fx) * 3, 3);
                }
            }
        }
        return out;
    }

    /** Ground truth of frame {@code f}: one box per visible object, id = its index in {@code paths} + 1. */
    static List<MotScore.Box> truth(List<Path> paths, int f) {
        List<MotScore.Box> out = new ArrayList<>();
        for (int i = 0; i < paths.size(); i++) {
            Path p = paths.get(i);
            if (p.visible(f)) {
                out.add(new MotScore.Box(i + 1, Math.round(p.x(f)), Math.round(p.y(f)), p.sprite().w(), p.sprite().h()));
            }
        }
        return out;
    }
}
