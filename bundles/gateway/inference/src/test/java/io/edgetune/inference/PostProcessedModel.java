package io.edgetune.inference;

import io.edgetune.inference.ssd.SsdAnchors;
import io.edgetune.tflite.BuiltinOperator;
import io.edgetune.tflite.Operator;
import io.edgetune.tflite.OperatorCode;
import io.edgetune.tflite.Subgraph;
import io.edgetune.tflite.Tensor;
import io.edgetune.tflite.TensorType;
import io.edgetune.tflite.TfliteModel;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The real raw-output SSD turned into one that ends in TFLite_Detection_PostProcess, as the TF Object Detection
 * API's TFLite export builds it: LOGISTIC on the raw class predictions, then the custom op (registered by TFLite's
 * builtin resolver) with the 1917 anchors as a constant [1917,4] tensor (ycenter, xcenter, h, w) and its
 * options as a flexbuffer map. Outputs: boxes [1,N,4], classes [1,N] (0-based, no background), scores [1,N],
 * count [1]. Written with io.edgetune.tflite.
 */
final class PostProcessedModel {

    static final String CUSTOM_CODE = "TFLite_Detection_PostProcess";

    private PostProcessedModel() {
    }

    /**
     * @param floatModel    the raw-output SSD (box encodings [1,N,4], class predictions [1,N,C], column 0 background)
     * @param maxDetections the op's max_detections
     */
    static byte[] build(byte[] floatModel, int maxDetections, float scoreThreshold, float iouThreshold) throws Exception {
        TfliteModel m = TfliteModel.read(floatModel);
        Subgraph g = m.main();
        int boxes = -1;
        int classes = -1;
        for (int o : g.outputs) {
            int[] s = g.tensors.get(o).shape;
            if (s[s.length - 1] == 4) {
                boxes = o;
            } else {
                classes = o;
            }
        }
        int[] cs = g.tensors.get(classes).shape;
        int anchorsCount = cs[1];
        int numClasses = cs[2] - 1;
        SsdAnchors a = SsdAnchors.fromScheme("ssd-mobilenet-v2:300", 300);
        if (a.count() != anchorsCount) {
            throw new IllegalStateException("anchor scheme gives " + a.count() + ", model has " + anchorsCount);
        }
        ByteBuffer anchorData = ByteBuffer.allocate(anchorsCount * 16).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < anchorsCount; i++) {
            anchorData.putFloat(a.centerY(i)).putFloat(a.centerX(i)).putFloat(a.height(i)).putFloat(a.width(i));
        }
        int anchors = g.add(new Tensor("anchors", TensorType.FLOAT32, new int[] {anchorsCount, 4}, m.addBuffer(anchorData.array())));
        int scores = g.add(new Tensor("raw_outputs/class_scores", TensorType.FLOAT32, cs.clone(), m.addBuffer(new byte[0])));
        g.operators.add(new Operator(m.opcode(BuiltinOperator.LOGISTIC, 1), new int[] {classes}, new int[] {scores}, null));

        int outBoxes = g.add(new Tensor("TFLite_Detection_PostProcess", TensorType.FLOAT32, new int[] {1, maxDetections, 4}, m.addBuffer(new byte[0])));
        int outClasses = g.add(new Tensor("TFLite_Detection_PostProcess:1", TensorType.FLOAT32, new int[] {1, maxDetections}, m.addBuffer(new byte[0])));
        int outScores = g.add(new Tensor("TFLite_Detection_PostProcess:2", TensorType.FLOAT32, new int[] {1, maxDetections}, m.addBuffer(new byte[0])));
        int outCount = g.add(new Tensor("TFLite_Detection_PostProcess:3", TensorType.FLOAT32, new int[] {1}, m.addBuffer(new byte[0])));
        m.operatorCodes.add(new OperatorCode(BuiltinOperator.CUSTOM, CUSTOM_CODE, 1));
        Operator post = new Operator(m.operatorCodes.size() - 1, new int[] {boxes, scores, anchors},
                new int[] {outBoxes, outClasses, outScores, outCount}, null);
        Map<String, Object> options = new LinkedHashMap<>();
        options.put("max_detections", maxDetections);
        options.put("max_classes_per_detection", 1);
        options.put("detections_per_class", 100);
        options.put("use_regular_nms", false);
        options.put("nms_score_threshold", scoreThreshold);
        options.put("nms_iou_threshold", iouThreshold);
        options.put("num_classes", numClasses);
        options.put("y_scale", 10f);
        options.put("x_scale", 10f);
        options.put("h_scale", 5f);
        options.put("w_scale", 5f);
        post.customOptions = flexMap(options);
        post.customOptionsFormat = 0;
        g.operators.add(post);
        g.outputs = new int[] {outBoxes, outClasses, outScores, outCount};
        // the old signature names the raw outputs, which are no longer the model's outputs
        m.signatureDefs.clear();
        return m.write();
    }

    /**
     * A flexbuffer holding one map of ints, floats and booleans, every field 4 bytes wide: key strings, the
     * sorted key vector, the map (keys offset, keys width, size, values, one type byte a value), then the root
     * (offset to the map, its packed type, its width).
     */
    static byte[] flexMap(Map<String, Object> values) {
        TreeMap<String, Object> sorted = new TreeMap<>(values);
        ByteBuffer b = ByteBuffer.allocate(64 + sorted.size() * 64).order(ByteOrder.LITTLE_ENDIAN);
        int[] keyAt = new int[sorted.size()];
        int i = 0;
        for (String k : sorted.keySet()) {
            keyAt[i++] = b.position();
            b.put(k.getBytes(StandardCharsets.UTF_8)).put((byte) 0);
        }
        align(b);
        b.putInt(sorted.size());
        int keys = b.position();
        for (i = 0; i < keyAt.length; i++) {
            b.putInt(b.position() - keyAt[i]);
        }
        int keysField = b.position();
        b.putInt(keysField - keys);
        b.putInt(4);
        b.putInt(sorted.size());
        int map = b.position();
        byte[] types = new byte[sorted.size()];
        i = 0;
        for (Object v : sorted.values()) {
            if (v instanceof Float f) {
                b.putFloat(f);
                types[i++] = (byte) (3 << 2 | 2);
            } else if (v instanceof Boolean z) {
                b.putInt(z ? 1 : 0);
                types[i++] = (byte) (26 << 2 | 2);
            } else {
                b.putInt((Integer) v);
                types[i++] = (byte) (1 << 2 | 2);
            }
        }
        b.put(types);
        align(b);
        int root = b.position();
        b.putInt(root - map);
        b.put((byte) (9 << 2 | 2));
        b.put((byte) 4);
        byte[] out = new byte[b.position()];
        b.flip();
        b.get(out);
        return out;
    }

    private static void align(ByteBuffer b) {
        while (b.position() % 4 != 0) {
            b.put((byte) 0);
        }
    }
}
