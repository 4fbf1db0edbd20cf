package io.edgetune.kuraapi.check;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.FieldVisitor;
import org.objectweb.asm.Handle;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;

/**
 * Finds what compiled code uses from {@code org.eclipse.kura.*} that Kura's
 * API, as pinned in {@code kura-signatures/*.txt}, does not have: types,
 * fields, methods and constructors referred to from bytecode (calls, field
 * access, {@code new}, casts, catch clauses, method references, descriptors,
 * supertypes), a static/instance mismatch, and, for a concrete class that
 * implements a pinned Kura interface or extends a pinned Kura class, any
 * pinned abstract method it does not implement. Members inherited from JDK
 * supertypes (e.g. {@code Throwable.getCause()}) are looked up in the running
 * JDK. Jars nested in a scanned jar (a bundle's embedded libraries) are
 * scanned too. Also reported: a scanned jar that carries
 * {@code org.eclipse.kura} classes itself. Stateless; thread safe.
 */
public final class BytecodeUsage {

    private static final String KURA = "org/eclipse/kura/";

    private BytecodeUsage() {
    }

    /** {@link #unknownReferences(List, KuraSignatures)} against the pinned list on the class path. */
    public static List<String> unknownReferences(List<Path> jarsOrClassDirectories) throws IOException {
        return unknownReferences(jarsOrClassDirectories, KuraSignatures.fromClasspath());
    }

    /**
     * Every reference in the given jars or class directories to Kura API that
     * is not in {@code pinned}, one readable line each (the Kura entry, then
     * which class uses it and where), sorted; empty when all is Kura's.
     */
    public static List<String> unknownReferences(List<Path> jarsOrClassDirectories, KuraSignatures pinned)
            throws IOException {
        Map<String, ScannedClass> classes = new LinkedHashMap<>();
        for (Path p : jarsOrClassDirectories) {
            if (Files.isDirectory(p)) {
                try (Stream<Path> s = Files.walk(p)) {
                    for (Path f : s.filter(f -> f.toString().endsWith(".class")).sorted().collect(Collectors.toList())) {
                        add(classes, Files.readAllBytes(f), p.relativize(f).toString(), p.toString());
                    }
                }
            } else {
                try (InputStream in = Files.newInputStream(p)) {
                    scanJar(classes, in, p.toString());
                }
            }
        }
        TreeSet<String> findings = new TreeSet<>();
        for (ScannedClass c : classes.values()) {
            if (c.name.startsWith(KURA)) {
                findings.add("jar carries Kura API class " + javaName(c.name) + " itself (in " + c.source + ")");
                continue;
            }
            new Checker(pinned, c, findings).run();
            checkImplementations(pinned, classes, c, findings);
        }
        return new ArrayList<>(findings);
    }

    private static void scanJar(Map<String, ScannedClass> classes, InputStream in, String source) throws IOException {
        ZipInputStream zip = new ZipInputStream(in);
        for (ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
            String n = e.getName();
            if (n.endsWith(".class") && !n.endsWith("module-info.class") && !n.startsWith("META-INF/versions/")) {
                add(classes, zip.readAllBytes(), n, source);
            } else if (n.endsWith(".jar")) {
                scanJar(classes, new ByteArrayInputStream(zip.readAllBytes()), source + "!/" + n);
            }
        }
    }

    private static void add(Map<String, ScannedClass> classes, byte[] bytes, String entry, String source) {
        ScannedClass c = new ScannedClass(bytes, source);
        classes.putIfAbsent(c.name, c);
    }

    /** One class read from a jar or directory: its bytes, supertypes and declared methods. */
    private static final class ScannedClass {
        final byte[] bytes;
        final String source;
        final String name;
        final int access;
        final String superName;
        final String[] interfaces;
        final Set<String> concreteMethods = new HashSet<>();

        ScannedClass(byte[] bytes, String source) {
            this.bytes = bytes;
            this.source = source;
            ClassReader r = new ClassReader(bytes);
            this.name = r.getClassName();
            this.access = r.getAccess();
            this.superName = r.getSuperName();
            this.interfaces = r.getInterfaces();
            r.accept(new ClassVisitor(Opcodes.ASM9) {
                @Override
                public MethodVisitor visitMethod(int a, String n, String d, String s, String[] e) {
                    if ((a & Opcodes.ACC_ABSTRACT) == 0) {
                        concreteMethods.add(n + d);
                    }
                    return null;
                }
            }, ClassReader.SKIP_CODE | ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
        }
    }

    /** Walks one class's bytecode and checks each Kura reference against the pinned list. */
    private static final class Checker extends ClassVisitor {
        private final KuraSignatures pinned;
        private final ScannedClass c;
        private final Set<String> findings;

        Checker(KuraSignatures pinned, ScannedClass c, Set<String> findings) {
            super(Opcodes.ASM9);
            this.pinned = pinned;
            this.c = c;
            this.findings = findings;
        }

        void run() {
            new ClassReader(c.bytes).accept(this, ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
        }

        private void report(String what) {
            findings.add(what + " (used by " + javaName(c.name) + " in " + c.source + ")");
        }

        @Override
        public void visit(int version, int access, String name, String signature, String superName, String[] interfaces) {
            if (superName != null) {
                type(superName);
            }
            for (String i : interfaces) {
                type(i);
            }
        }

        @Override
        public FieldVisitor visitField(int access, String name, String descriptor, String signature, Object value) {
            descriptorTypes(descriptor);
            return null;
        }

        @Override
        public MethodVisitor visitMethod(int access, String name, String descriptor, String signature, String[] exceptions) {
            descriptorTypes(descriptor);
            if (exceptions != null) {
                for (String e : exceptions) {
                    type(e);
                }
            }
            return new MethodVisitor(Opcodes.ASM9) {
                @Override
                public void visitTypeInsn(int opcode, String type) {
                    typeOrArray(type);
                }

                @Override
                public void visitFieldInsn(int opcode, String owner, String name, String descriptor) {
                    field(owner, name, descriptor, opcode == Opcodes.GETSTATIC || opcode == Opcodes.PUTSTATIC);
                }

                @Override
                public void visitMethodInsn(int opcode, String owner, String name, String descriptor, boolean itf) {
                    method(owner, name, descriptor, opcode == Opcodes.INVOKESTATIC);
                }

                @Override
                public void visitInvokeDynamicInsn(String name, String descriptor, Handle bsm, Object... args) {
                    descriptorTypes(descriptor);
                    handle(bsm);
                    for (Object a : args) {
                        constant(a);
                    }
                }

                @Override
                public void visitLdcInsn(Object value) {
                    constant(value);
                }

                @Override
                public void visitMultiANewArrayInsn(String descriptor, int numDimensions) {
                    descriptorTypes(descriptor);
                }

                @Override
                public void visitTryCatchBlock(org.objectweb.asm.Label start, org.objectweb.asm.Label end,
                                               org.objectweb.asm.Label handler, String type) {
                    if (type != null) {
                        type(type);
                    }
                }
            };
        }

        private void constant(Object value) {
            if (value instanceof Type) {
                Type t = (Type) value;
                if (t.getSort() == Type.METHOD) {
                    descriptorTypes(t.getDescriptor());
                } else {
                    typeOrArray(t.getSort() == Type.OBJECT ? t.getInternalName() : t.getDescriptor());
                }
            } else if (value instanceof Handle) {
                handle((Handle) value);
            }
        }

        private void handle(Handle h) {
            int tag = h.getTag();
            if (tag <= Opcodes.H_PUTSTATIC) {
                field(h.getOwner(), h.getName(), h.getDesc(), tag == Opcodes.H_GETSTATIC || tag == Opcodes.H_PUTSTATIC);
            } else {
                method(h.getOwner(), h.getName(), h.getDesc(), tag == Opcodes.H_INVOKESTATIC);
            }
        }

        private void typeOrArray(String internalNameOrDescriptor) {
            if (internalNameOrDescriptor.startsWith("[")) {
                Type e = Type.getType(internalNameOrDescriptor).getElementType();
                if (e.getSort() == Type.OBJECT) {
                    type(e.getInternalName());
                }
            } else {
                type(internalNameOrDescriptor);
            }
        }

        private void descriptorTypes(String descriptor) {
            Type t = Type.getType(descriptor);
            List<Type> all = new ArrayList<>();
            if (t.getSort() == Type.METHOD) {
                all.addAll(List.of(t.getArgumentTypes()));
                all.add(t.getReturnType());
            } else {
                all.add(t);
            }
            for (Type a : all) {
                Type e = a.getSort() == Type.ARRAY ? a.getElementType() : a;
                if (e.getSort() == Type.OBJECT) {
                    type(e.getInternalName());
                }
            }
        }

        /** True when the type is Kura's and pinned, or not Kura's at all. */
        private boolean type(String internalName) {
            if (!internalName.startsWith(KURA)) {
                return true;
            }
            if (pinned.type(javaName(internalName)).isPresent()) {
                return true;
            }
            report("type " + javaName(internalName) + " is not in Kura's API");
            return false;
        }

        private void field(String owner, String name, String descriptor, boolean isStatic) {
            if (owner.startsWith("[") || !owner.startsWith(KURA)) {
                descriptorTypes(descriptor);
                return;
            }
            descriptorTypes(descriptor);
            if (!type(owner)) {
                return;
            }
            check(owner, name, descriptor, isStatic, false);
        }

        private void method(String owner, String name, String descriptor, boolean isStatic) {
            descriptorTypes(descriptor);
            if (owner.startsWith("[")) {
                typeOrArray(owner);
                return;
            }
            if (!owner.startsWith(KURA) || !type(owner)) {
                return;
            }
            check(owner, name, descriptor, isStatic, true);
        }

        private void check(String owner, String name, String descriptor, boolean isStatic, boolean method) {
            String entry = javaName(owner) + "#" + name + (method ? readableMethod(descriptor)
                    : ":" + KuraSignatures.javaName(Type.getType(descriptor)));
            Optional<KuraSignatures.MemberSig> m = resolve(pinned, javaName(owner), name, descriptor, method);
            if (m == null) {
                report((method ? "method " : "field ") + entry + " is not in Kura's API");
            } else if (m.isPresent() && m.get().isStatic() != isStatic) {
                report((method ? "method " : "field ") + entry + " is used as " + (isStatic ? "static" : "instance")
                        + " but Kura has " + m.get().line());
            }
        }
    }

    /**
     * The pinned member a reference resolves to, walking pinned supertypes;
     * empty when a JDK supertype has it; null when nothing has it.
     */
    static Optional<KuraSignatures.MemberSig> resolve(KuraSignatures pinned, String owner, String name, String descriptor,
                                                      boolean method) {
        Deque<String> todo = new ArrayDeque<>(List.of(owner));
        Set<String> seen = new HashSet<>();
        boolean ownerIsInterface = pinned.type(owner).map(t -> t.isInterface).orElse(false);
        while (!todo.isEmpty()) {
            String t = todo.pop();
            if (!seen.add(t)) {
                continue;
            }
            Optional<KuraSignatures.TypeSig> sig = pinned.type(t);
            if (sig.isPresent()) {
                Optional<KuraSignatures.MemberSig> m = sig.get().member(name, descriptor);
                if (m.isPresent() && m.get().method == method) {
                    return m;
                }
                if (name.equals("<init>")) {
                    return null; // constructors are not inherited
                }
                if (sig.get().superName != null) {
                    todo.add(sig.get().superName);
                }
                todo.addAll(sig.get().interfaces);
            } else if (!t.startsWith("org.eclipse.kura.") && jdkHas(t, name, descriptor, method)) {
                return Optional.empty();
            }
        }
        if (method && ownerIsInterface && jdkHas("java.lang.Object", name, descriptor, true)) {
            return Optional.empty();
        }
        return null;
    }

    private static boolean jdkHas(String type, String name, String descriptor, boolean method) {
        Class<?> c;
        try {
            // the JDK and the OSGi APIs Kura's types extend (Wire Admin's Producer and Consumer), from the test class path
            c = Class.forName(type, false, BytecodeUsage.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
        Deque<Class<?>> todo = new ArrayDeque<>(List.of(c));
        while (!todo.isEmpty()) {
            Class<?> k = todo.pop();
            if (method) {
                for (Method m : k.getDeclaredMethods()) {
                    if (m.getName().equals(name) && Type.getMethodDescriptor(m).equals(descriptor)) {
                        return true;
                    }
                }
            } else {
                for (java.lang.reflect.Field f : k.getDeclaredFields()) {
                    if (f.getName().equals(name) && Type.getDescriptor(f.getType()).equals(descriptor)) {
                        return true;
                    }
                }
            }
            if (k.getSuperclass() != null) {
                todo.add(k.getSuperclass());
            }
            todo.addAll(List.of(k.getInterfaces()));
        }
        return false;
    }

    /**
     * A concrete class below a pinned Kura type must implement each pinned
     * abstract method; checked when its superclass chain up to the Kura type
     * or java.lang.Object is among the scanned classes (otherwise unknown).
     */
    private static void checkImplementations(KuraSignatures pinned, Map<String, ScannedClass> classes, ScannedClass c,
                                             Set<String> findings) {
        if ((c.access & (Opcodes.ACC_ABSTRACT | Opcodes.ACC_INTERFACE)) != 0) {
            return;
        }
        List<ScannedClass> chain = new ArrayList<>();
        Set<String> kuraTypes = new HashSet<>();
        Deque<String> kuraTodo = new ArrayDeque<>();
        for (ScannedClass k = c; ; ) {
            chain.add(k);
            kuraInterfaces(classes, k.interfaces, kuraTodo, new HashSet<>());
            String sup = k.superName;
            if (sup == null || sup.equals("java/lang/Object")) {
                break;
            }
            if (sup.startsWith(KURA)) {
                kuraTodo.add(javaName(sup));
                break;
            }
            k = classes.get(sup);
            if (k == null) {
                return; // a superclass outside the scanned classes: cannot tell
            }
        }
        List<KuraSignatures.MemberSig> abstracts = new ArrayList<>();
        Set<String> concreteInKura = new HashSet<>();
        while (!kuraTodo.isEmpty()) {
            String t = kuraTodo.pop();
            if (!kuraTypes.add(t)) {
                continue;
            }
            Optional<KuraSignatures.TypeSig> sig = pinned.type(t);
            if (sig.isEmpty()) {
                continue; // reported as an unknown type already
            }
            for (KuraSignatures.MemberSig m : sig.get().members()) {
                if (m.method && m.isAbstract()) {
                    abstracts.add(m);
                } else if (m.method && !m.isStatic()) {
                    concreteInKura.add(m.name + m.descriptor);
                }
            }
            if (sig.get().superName != null && sig.get().superName.startsWith("org.eclipse.kura.")) {
                kuraTodo.add(sig.get().superName);
            }
            kuraTodo.addAll(sig.get().interfaces);
        }
        for (KuraSignatures.MemberSig m : abstracts) {
            String key = m.name + m.descriptor;
            boolean implemented = concreteInKura.contains(key)
                    || chain.stream().anyMatch(k -> k.concreteMethods.contains(key));
            if (!implemented) {
                findings.add("abstract method " + m.line() + " is not implemented by " + javaName(c.name) + " (in "
                        + c.source + ")");
            }
        }
    }

    /** The Kura interfaces among these, and those that scanned (our own) interfaces extend. */
    private static void kuraInterfaces(Map<String, ScannedClass> classes, String[] interfaces, Deque<String> out,
                                       Set<String> seen) {
        for (String i : interfaces) {
            if (!seen.add(i)) {
                continue;
            }
            if (i.startsWith(KURA)) {
                out.add(javaName(i));
            } else if (classes.containsKey(i)) {
                kuraInterfaces(classes, classes.get(i).interfaces, out, seen);
            }
        }
    }

    private static String javaName(String internalName) {
        return internalName.replace('/', '.');
    }

    private static String readableMethod(String descriptor) {
        Type t = Type.getMethodType(descriptor);
        return "(" + List.of(t.getArgumentTypes()).stream().map(KuraSignatures::javaName).collect(Collectors.joining(","))
                + "):" + KuraSignatures.javaName(t.getReturnType());
    }
}
