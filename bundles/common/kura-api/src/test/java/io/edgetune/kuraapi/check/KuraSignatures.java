package io.edgetune.kuraapi.check;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.objectweb.asm.AnnotationVisitor;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.FieldVisitor;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;

/**
 * The pinned list of Kura API signatures (the files {@code kura-signatures/*.txt}
 * on the test class path) and the code that writes a compiled class in the same
 * format, so that our subset and the pinned list can be compared line by line.
 * The format is described in {@code src/test/resources/kura-signatures/README.md}.
 * Immutable once read; thread safe.
 */
public final class KuraSignatures {

    /** The class path directory holding the pinned lists. */
    public static final String DIRECTORY = "kura-signatures";

    private static final Map<String, String> ANNOTATIONS = Map.of(
            "Ljava/lang/Deprecated;", "@Deprecated",
            "Ljava/lang/FunctionalInterface;", "@FunctionalInterface",
            "Lorg/osgi/annotation/versioning/ProviderType;", "@ProviderType",
            "Lorg/osgi/annotation/versioning/ConsumerType;", "@ConsumerType");

    private final Map<String, String> packages = new LinkedHashMap<>();
    private final Map<String, TypeSig> types = new LinkedHashMap<>();

    private KuraSignatures() {
    }

    /** One pinned type: its line, its supertypes and its member lines (enum constants in order). */
    public static final class TypeSig {
        final String name;
        final String line;
        final boolean isInterface;
        final String superName;
        final List<String> interfaces;
        final List<MemberSig> members = new ArrayList<>();

        TypeSig(String name, String line, boolean isInterface, String superName, List<String> interfaces) {
            this.name = name;
            this.line = line;
            this.isInterface = isInterface;
            this.superName = superName;
            this.interfaces = interfaces;
        }

        public String name() {
            return name;
        }

        public String line() {
            return line;
        }

        public List<MemberSig> members() {
            return Collections.unmodifiableList(members);
        }

        /** The member with this name and JVM descriptor, if pinned. */
        public Optional<MemberSig> member(String memberName, String descriptor) {
            return members.stream().filter(m -> m.name.equals(memberName) && m.descriptor.equals(descriptor)).findFirst();
        }

        public List<String> enumConstants() {
            return members.stream().filter(m -> m.enumConstant).map(m -> m.name).collect(Collectors.toList());
        }
    }

    /** One pinned member, with the JVM descriptor that bytecode uses to refer to it. */
    public static final class MemberSig {
        final String owner;
        final String line;
        final String name;
        final String descriptor;
        final boolean method;
        final boolean isStatic;
        final boolean isAbstract;
        final boolean enumConstant;

        MemberSig(String owner, String line, String name, String descriptor, boolean method, boolean isStatic,
                  boolean isAbstract, boolean enumConstant) {
            this.owner = owner;
            this.line = line;
            this.name = name;
            this.descriptor = descriptor;
            this.method = method;
            this.isStatic = isStatic;
            this.isAbstract = isAbstract;
            this.enumConstant = enumConstant;
        }

        public String line() {
            return line;
        }

        public boolean isStatic() {
            return isStatic;
        }

        public boolean isAbstract() {
            return isAbstract;
        }
    }

    // ---- reading

    /** Every {@code kura-signatures/*.txt} on the class path (a directory or inside a jar, e.g. the test-jar). */
    public static KuraSignatures fromClasspath() throws IOException {
        URL url = KuraSignatures.class.getClassLoader().getResource(DIRECTORY);
        if (url == null) {
            throw new IOException("no " + DIRECTORY + " directory on the class path");
        }
        try {
            URI uri = url.toURI();
            if ("jar".equals(uri.getScheme())) {
                try (FileSystem fs = FileSystems.newFileSystem(uri, Map.of())) {
                    return read(fs.getPath(DIRECTORY));
                }
            }
            return read(Paths.get(uri));
        } catch (URISyntaxException e) {
            throw new IOException("bad class path URL " + url, e);
        }
    }

    /** Every {@code *.txt} file in a directory, in name order. */
    public static KuraSignatures read(Path directory) throws IOException {
        List<String> lines = new ArrayList<>();
        List<Path> files;
        try (Stream<Path> s = Files.list(directory)) {
            files = s.filter(p -> p.getFileName().toString().endsWith(".txt")).sorted().collect(Collectors.toList());
        }
        if (files.isEmpty()) {
            throw new IOException("no *.txt signature files in " + directory);
        }
        for (Path f : files) {
            lines.addAll(Files.readAllLines(f, StandardCharsets.UTF_8));
        }
        return parse(lines);
    }

    /** Parses lines of the documented format; blank lines and lines starting with {@code #} are skipped. */
    public static KuraSignatures parse(List<String> lines) {
        KuraSignatures s = new KuraSignatures();
        List<String> members = new ArrayList<>();
        for (String raw : lines) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            if (line.startsWith("package ")) {
                String[] p = line.split(" ");
                if (p.length != 3) {
                    throw new IllegalArgumentException("bad package line: " + line);
                }
                if (s.packages.put(p[1], p[2]) != null) {
                    throw new IllegalArgumentException("package listed twice: " + line);
                }
            } else if (line.indexOf('#') > 0) {
                members.add(line);
            } else {
                TypeSig t = parseType(line);
                if (s.types.put(t.name, t) != null) {
                    throw new IllegalArgumentException("type listed twice: " + line);
                }
            }
        }
        for (String line : members) {
            MemberSig m = parseMember(line);
            TypeSig t = s.types.get(m.owner);
            if (t == null) {
                throw new IllegalArgumentException("member of a type that has no type line: " + line);
            }
            if (t.member(m.name, m.descriptor).isPresent()) {
                throw new IllegalArgumentException("member listed twice: " + line);
            }
            t.members.add(m);
        }
        return s;
    }

    private static TypeSig parseType(String line) {
        int colon = line.indexOf(": ");
        if (colon < 0) {
            throw new IllegalArgumentException("bad type line (want 'name: modifiers kind ...'): " + line);
        }
        String name = line.substring(0, colon);
        List<String> words = List.of(line.substring(colon + 2).split(" "));
        boolean isInterface = words.contains("interface") || words.contains("@interface");
        String superName = null;
        List<String> interfaces = new ArrayList<>();
        for (int i = 0; i < words.size() - 1; i++) {
            List<String> names = List.of(words.get(i + 1).split(","));
            if (words.get(i).equals("extends")) {
                if (isInterface) {
                    interfaces.addAll(names);
                } else {
                    superName = names.get(0);
                }
            } else if (words.get(i).equals("implements")) {
                interfaces.addAll(names);
            }
        }
        if (!isInterface && superName == null) {
            throw new IllegalArgumentException("a class line needs 'extends': " + line);
        }
        return new TypeSig(name, line, isInterface, superName, List.copyOf(interfaces));
    }

    private static MemberSig parseMember(String line) {
        int hash = line.indexOf('#');
        String owner = line.substring(0, hash);
        String rest = line.substring(hash + 1);
        if (rest.startsWith("enum ")) {
            String name = rest.substring(5);
            return new MemberSig(owner, line, name, "L" + owner.replace('.', '/') + ";", false, true, false, true);
        }
        String[] words = rest.split(" ");
        List<String> mods = new ArrayList<>();
        int i = 0;
        while (i < words.length && words[i].indexOf('(') < 0 && words[i].indexOf(':') < 0) {
            mods.add(words[i++]);
        }
        if (i == words.length) {
            throw new IllegalArgumentException("bad member line (no name(...) or name:type): " + line);
        }
        String head = words[i];
        int paren = head.indexOf('(');
        boolean isStatic = mods.contains("static");
        boolean isAbstract = mods.contains("abstract");
        if (paren >= 0) {
            int close = head.indexOf(')');
            String name = head.substring(0, paren);
            String params = head.substring(paren + 1, close);
            String ret = close + 1 < head.length() ? head.substring(close + 2) : "void";
            StringBuilder d = new StringBuilder("(");
            if (!params.isEmpty()) {
                for (String p : params.split(",")) {
                    d.append(descriptorOf(p));
                }
            }
            d.append(')').append(descriptorOf(ret));
            return new MemberSig(owner, line, name, d.toString(), true, isStatic, isAbstract, false);
        }
        int c = head.indexOf(':');
        return new MemberSig(owner, line, head.substring(0, c), descriptorOf(head.substring(c + 1)), false, isStatic,
                false, false);
    }

    /** {@code java.lang.String[]} or {@code int} or {@code java.lang.Object...} to a JVM descriptor. */
    static String descriptorOf(String javaName) {
        String n = javaName.endsWith("...") ? javaName.substring(0, javaName.length() - 3) + "[]" : javaName;
        StringBuilder prefix = new StringBuilder();
        while (n.endsWith("[]")) {
            prefix.append('[');
            n = n.substring(0, n.length() - 2);
        }
        switch (n) {
            case "void": return prefix + "V";
            case "boolean": return prefix + "Z";
            case "byte": return prefix + "B";
            case "char": return prefix + "C";
            case "short": return prefix + "S";
            case "int": return prefix + "I";
            case "long": return prefix + "J";
            case "float": return prefix + "F";
            case "double": return prefix + "D";
            default: return prefix + "L" + n.replace('.', '/') + ";";
        }
    }

    // ---- queries

    /** Package name to export version. */
    public Map<String, String> packages() {
        return Collections.unmodifiableMap(packages);
    }

    /** Binary type name (dots, {@code $} for nested types) to its pinned type. */
    public Map<String, TypeSig> types() {
        return Collections.unmodifiableMap(types);
    }

    public Optional<TypeSig> type(String binaryName) {
        return Optional.ofNullable(types.get(binaryName));
    }

    /** The type and member lines, sorted (packages not included). */
    public TreeSet<String> typeAndMemberLines() {
        TreeSet<String> out = new TreeSet<>();
        for (TypeSig t : types.values()) {
            out.add(t.line);
            t.members.forEach(m -> out.add(m.line));
        }
        return out;
    }

    /** The pinned lines of one type (type line and members), sorted. */
    public TreeSet<String> linesOf(String binaryName) {
        TreeSet<String> out = new TreeSet<>();
        type(binaryName).ifPresent(t -> {
            out.add(t.line);
            t.members.forEach(m -> out.add(m.line));
        });
        return out;
    }

    // ---- describing compiled classes

    /**
     * The lines that describe one compiled class in the pinned format: the type
     * line first, enum constants in declaration order, then the public and
     * protected fields, constructors and methods (synthetic and bridge members
     * left out).
     */
    public static List<String> describe(byte[] classBytes) {
        Describer d = new Describer();
        new ClassReader(classBytes).accept(d, ClassReader.SKIP_CODE | ClassReader.SKIP_FRAMES | ClassReader.SKIP_DEBUG);
        return d.lines;
    }

    /** The binary name (dots) of a compiled class. */
    public static String binaryName(byte[] classBytes) {
        return new ClassReader(classBytes).getClassName().replace('/', '.');
    }

    static String javaName(Type t) {
        return t.getSort() == Type.OBJECT ? t.getInternalName().replace('/', '.') : t.getClassName();
    }

    private static final class Describer extends ClassVisitor {
        final List<String> lines = new ArrayList<>();
        private final List<String> enums = new ArrayList<>();
        private final List<String> members = new ArrayList<>();
        private final TreeSet<String> typeAnnotations = new TreeSet<>();
        private String owner;
        private int access;
        private String superName;
        private String[] interfaces;

        Describer() {
            super(Opcodes.ASM9);
        }

        @Override
        public void visit(int version, int access, String name, String signature, String superName, String[] interfaces) {
            this.owner = name.replace('/', '.');
            this.access = access;
            this.superName = superName;
            this.interfaces = interfaces;
        }

        @Override
        public void visitInnerClass(String name, String outerName, String innerName, int innerAccess) {
            if (name.equals(owner.replace('.', '/'))) {
                access = innerAccess | (access & Opcodes.ACC_SUPER);
            }
        }

        @Override
        public AnnotationVisitor visitAnnotation(String descriptor, boolean visible) {
            return keep(typeAnnotations, descriptor);
        }

        /** Keeps the annotations the comparison cares about (see ANNOTATIONS). */
        private static AnnotationVisitor keep(Set<String> annotations, String descriptor) {
            if (ANNOTATIONS.containsKey(descriptor)) {
                annotations.add(ANNOTATIONS.get(descriptor));
            }
            return null;
        }

        /** Appends " word" when the access flags hold {@code flag}. */
        private static void flag(StringBuilder b, int access, int flag, String word) {
            if ((access & flag) != 0) {
                b.append(' ').append(word);
            }
        }

        @Override
        public FieldVisitor visitField(int fAccess, String name, String descriptor, String signature, Object value) {
            if ((fAccess & Opcodes.ACC_SYNTHETIC) != 0 || !visible(fAccess)) {
                return null;
            }
            if ((fAccess & Opcodes.ACC_ENUM) != 0) {
                enums.add(owner + "#enum " + name);
                return null;
            }
            TreeSet<String> annotations = new TreeSet<>();
            return new FieldVisitor(Opcodes.ASM9) {
                @Override
                public AnnotationVisitor visitAnnotation(String d, boolean v) {
                    return keep(annotations, d);
                }

                @Override
                public void visitEnd() {
                    StringBuilder b = new StringBuilder(owner).append('#');
                    b.append(visibility(fAccess));
                    flag(b, fAccess, Opcodes.ACC_STATIC, "static");
                    flag(b, fAccess, Opcodes.ACC_FINAL, "final");
                    b.append(' ').append(name).append(':').append(javaName(Type.getType(descriptor)));
                    if (value != null) {
                        b.append(" = ").append(constant(value));
                    }
                    annotations.forEach(a -> b.append(' ').append(a));
                    members.add(b.toString());
                }
            };
        }

        @Override
        public MethodVisitor visitMethod(int mAccess, String name, String descriptor, String signature, String[] exceptions) {
            if ((mAccess & (Opcodes.ACC_SYNTHETIC | Opcodes.ACC_BRIDGE)) != 0 || !visible(mAccess) || name.equals("<clinit>")) {
                return null;
            }
            TreeSet<String> annotations = new TreeSet<>();
            return new MethodVisitor(Opcodes.ASM9) {
                @Override
                public AnnotationVisitor visitAnnotation(String d, boolean v) {
                    return keep(annotations, d);
                }

                @Override
                public void visitEnd() {
                    boolean inInterface = (access & Opcodes.ACC_INTERFACE) != 0;
                    StringBuilder b = new StringBuilder(owner).append('#').append(visibility(mAccess));
                    if ((mAccess & Opcodes.ACC_STATIC) != 0) {
                        b.append(" static");
                    } else if ((mAccess & Opcodes.ACC_ABSTRACT) != 0) {
                        b.append(" abstract");
                    } else if (inInterface && !name.equals("<init>")) {
                        b.append(" default");
                    }
                    flag(b, mAccess, Opcodes.ACC_FINAL, "final");
                    b.append(' ').append(name).append('(');
                    Type[] params = Type.getArgumentTypes(descriptor);
                    for (int i = 0; i < params.length; i++) {
                        String p = javaName(params[i]);
                        if (i == params.length - 1 && (mAccess & Opcodes.ACC_VARARGS) != 0) {
                            p = p.substring(0, p.length() - 2) + "...";
                        }
                        b.append(i == 0 ? "" : ",").append(p);
                    }
                    b.append(')');
                    if (!name.equals("<init>")) {
                        b.append(':').append(javaName(Type.getReturnType(descriptor)));
                    }
                    if (exceptions != null && exceptions.length > 0) {
                        TreeSet<String> ex = new TreeSet<>();
                        for (String e : exceptions) {
                            ex.add(e.replace('/', '.'));
                        }
                        b.append(" throws ").append(String.join(",", ex));
                    }
                    annotations.forEach(a -> b.append(' ').append(a));
                    members.add(b.toString());
                }
            };
        }

        @Override
        public void visitEnd() {
            StringBuilder b = new StringBuilder(owner).append(": ").append(visibility(access));
            boolean isInterface = (access & Opcodes.ACC_INTERFACE) != 0;
            flag(b, access, Opcodes.ACC_STATIC, "static");
            if (!isInterface && (access & Opcodes.ACC_ABSTRACT) != 0) {
                b.append(" abstract");
            }
            flag(b, access, Opcodes.ACC_FINAL, "final");
            String kind = (access & Opcodes.ACC_ANNOTATION) != 0 ? "@interface"
                    : isInterface ? "interface" : (access & Opcodes.ACC_ENUM) != 0 ? "enum" : "class";
            b.append(' ').append(kind);
            List<String> ifaces = new ArrayList<>();
            for (String i : interfaces) {
                ifaces.add(i.replace('/', '.'));
            }
            if (isInterface) {
                if (!ifaces.isEmpty()) {
                    b.append(" extends ").append(String.join(",", ifaces));
                }
            } else {
                b.append(" extends ").append(superName.replace('/', '.'));
                if (!ifaces.isEmpty()) {
                    b.append(" implements ").append(String.join(",", ifaces));
                }
            }
            typeAnnotations.forEach(a -> b.append(' ').append(a));
            lines.add(b.toString());
            lines.addAll(enums);
            lines.addAll(members);
        }

        private static boolean visible(int a) {
            return (a & (Opcodes.ACC_PUBLIC | Opcodes.ACC_PROTECTED)) != 0;
        }

        private static String visibility(int a) {
            return (a & Opcodes.ACC_PUBLIC) != 0 ? "public" : (a & Opcodes.ACC_PROTECTED) != 0 ? "protected" : "package";
        }

        private static String constant(Object value) {
            if (value instanceof String) {
                String s = (String) value;
                return '"' + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + '"';
            }
            return String.valueOf(value);
        }
    }
}
