package io.edgetune.modelpackage;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a label file in either of the two common layouts into EdgeTune's label list, where index 0 is the
 * background ("???") and label i names class column i of a raw-output SSD:
 * <ul>
 * <li>one label per line, the first line the background (the base model's {@code oidv4_labelmap.txt});</li>
 * <li>Coral style: {@code id label} lines ({@code 0 person}), ids without a background class, possibly
 *     skipping numbers, as the class ids a model's TFLite_Detection_PostProcess outputs. Id k becomes label
 *     k + 1 (the raw class column k + 1 of the same model); ids that are skipped become "???".</li>
 * </ul>
 */
public final class LabelFile {

    public static final String BACKGROUND = "???";
    private static final Pattern CORAL = Pattern.compile("(\\d+)[\\s:]+(\\S.*)");

    private LabelFile() {
    }

    /** The label list of a file's lines (blank lines are ignored); Coral style when every line is {@code id label}. */
    public static List<String> parse(List<String> lines) {
        List<String> plain = new ArrayList<>();
        boolean coral = true;
        for (String line : lines) {
            if (!line.isBlank()) {
                plain.add(line.trim());
                coral &= CORAL.matcher(line.trim()).matches();
            }
        }
        if (!coral || plain.isEmpty()) {
            return plain;
        }
        List<String> labels = new ArrayList<>();
        labels.add(BACKGROUND);
        for (String line : plain) {
            Matcher m = CORAL.matcher(line);
            m.matches();
            int id = Integer.parseInt(m.group(1));
            if (id > 100_000) {
                throw new IllegalArgumentException("label id " + id + " is not a class id");
            }
            while (labels.size() <= id + 1) {
                labels.add(BACKGROUND);
            }
            labels.set(id + 1, m.group(2).trim());
        }
        return labels;
    }
}
