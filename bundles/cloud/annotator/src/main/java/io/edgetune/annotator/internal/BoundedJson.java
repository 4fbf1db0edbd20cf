package io.edgetune.annotator.internal;

import com.google.gson.Gson;
import com.google.gson.JsonElement;
import com.google.gson.JsonParseException;
import com.google.gson.TypeAdapter;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import java.io.IOException;
import java.io.StringReader;

/**
 * Strict Gson parsing of JSON that arrives from the network, with a bound on
 * size and nesting: Gson 2.9 builds its tree recursively and has no depth
 * limit, so a streaming pass measures the depth before the tree is built.
 */
public final class BoundedJson {

    /** Deeper documents are refused: a hostile sample payload must not overflow the ingest thread's stack. */
    public static final int MAX_DEPTH = 64;

    private static final TypeAdapter<JsonElement> TREE = new Gson().getAdapter(JsonElement.class);

    private BoundedJson() {
    }

    /**
     * @throws IllegalArgumentException with the reason when the text is longer than {@code maxChars}, nested deeper
     *         than {@link #MAX_DEPTH} or not one strict JSON value
     */
    public static JsonElement parse(String text, int maxChars) {
        if (text.length() > maxChars) {
            throw new IllegalArgumentException(text.length() + " characters, more than " + maxChars);
        }
        try {
            checkDepth(new JsonReader(new StringReader(text)));
            JsonReader r = new JsonReader(new StringReader(text));
            JsonElement value = TREE.read(r);
            if (r.peek() != JsonToken.END_DOCUMENT) {
                throw new IllegalArgumentException("text after the JSON value");
            }
            return value;
        } catch (IOException | JsonParseException | IllegalStateException | NumberFormatException e) {
            throw new IllegalArgumentException(String.valueOf(e.getMessage()), e);
        }
    }

    /** Walks one value without building it; the reader keeps no recursion, only a counter here. */
    private static void checkDepth(JsonReader r) throws IOException {
        int depth = 0;
        do {
            JsonToken t = r.peek();
            switch (t) {
                case BEGIN_OBJECT, BEGIN_ARRAY -> {
                    if (++depth > MAX_DEPTH) {
                        throw new IllegalArgumentException("nested deeper than " + MAX_DEPTH + " levels");
                    }
                    if (t == JsonToken.BEGIN_OBJECT) {
                        r.beginObject();
                    } else {
                        r.beginArray();
                    }
                }
                case END_OBJECT -> {
                    depth--;
                    r.endObject();
                }
                case END_ARRAY -> {
                    depth--;
                    r.endArray();
                }
                case NAME -> r.nextName();
                default -> r.skipValue();
            }
        } while (depth > 0);
    }
}
