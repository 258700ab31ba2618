using System.Text.RegularExpressions;
using MediaLibrary.Data;
using Microsoft.EntityFrameworkCore;
using Mono.Cecil;
using Mono.Cecil.Cil;

namespace MediaLibrary.Tests.Architecture;

/// <summary>The structure the code keeps: one direction between feature folders, one deletion path, one public type a file.</summary>
public sealed class ArchitectureTests
{
    private static readonly System.Reflection.Assembly Service = typeof(MediaDbContext).Assembly;

    [Fact]
    public void FeatureFolders_DependOnlyDownTheDeclaredDirection()
    {
        var violations = Layers.Violations(Service, "MediaLibrary", Layers.MediaLibrary);
        Assert.True(violations.Count == 0, "Reverse references between feature folders:\n" + string.Join("\n", violations));
    }

    [Fact]
    public void DirectionRule_FailsOnAReverseReference_AndNamesIt()
    {
        var root = "MediaLibrary.Tests.Architecture.Fixture";
        var violations = Layers.Violations(typeof(ArchitectureTests).Assembly, root,
            new Dictionary<string, string[]> { ["Storage"] = [], ["Media"] = ["Storage"] });
        var violation = Assert.Single(violations);
        Assert.Equal($"{root}.Storage.FixtureStore uses {root}.Media, against the direction (Storage may use: nothing)", violation);
    }

    [Fact]
    public void DirectionRule_NamesAFolderOutsideEveryLayer()
    {
        var root = "MediaLibrary.Tests.Architecture.Fixture";
        var violations = Layers.Violations(typeof(ArchitectureTests).Assembly, root, new Dictionary<string, string[]> { ["Media"] = [] });
        Assert.Contains($"{root}.Storage is in no layer: add it to the direction (and README's Architecture section)", violations);
    }

    [Fact]
    public void Data_KnowsOtherFeaturesOnlyThroughTheirEntities()
    {
        using var db = new SqliteMediaDbContext(new DbContextOptionsBuilder<SqliteMediaDbContext>().UseSqlite("Data Source=:memory:").Options);
        // The entities, and the types of their properties (an entity's status enum).
        var entities = db.Model.GetEntityTypes().Select(e => e.ClrType)
            .Concat(db.Model.GetEntityTypes().SelectMany(e => e.GetProperties()).Select(p => Nullable.GetUnderlyingType(p.ClrType) ?? p.ClrType))
            .Select(t => t.FullName!).ToHashSet(StringComparer.Ordinal);
        var used = ReferencedTypes(t => t.Namespace.StartsWith("MediaLibrary.Data", StringComparison.Ordinal))
            .Where(t => t.Namespace.StartsWith("MediaLibrary.", StringComparison.Ordinal) && !t.Namespace.StartsWith("MediaLibrary.Data", StringComparison.Ordinal))
            .Select(t => t.FullName).Distinct().ToList();
        Assert.Contains("MediaLibrary.Media.MediaItem", used); // the scan sees what Data uses
        var others = used.Where(t => !entities.Contains(t)).ToList();
        Assert.True(others.Count == 0, "Data uses non-entity types of other features: " + string.Join(", ", others));
    }

    [Fact]
    public void OnlyTheCleanupQueue_DeletesStoredObjects()
    {
        using var module = ModuleDefinition.ReadModule(Service.Location);
        var callers = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var type in module.GetTypes())
        foreach (var method in type.Methods.Where(m => m.HasBody))
        foreach (var instruction in method.Body.Instructions)
        {
            if (instruction.OpCode.Code is Code.Call or Code.Callvirt or Code.Ldftn or Code.Ldvirtftn
                && instruction.Operand is MethodReference { Name: "DeleteAsync" } target
                && target.DeclaringType.FullName == "MediaLibrary.Storage.IBlobStore")
                callers.Add(Outermost(type).FullName);
        }
        Assert.Equal(["MediaLibrary.Cleanup.BlobDeletion"], callers);
    }

    [Fact]
    public void EverySourceFile_HoldsAtMostOnePublicType_NamedAfterIt()
    {
        var src = Path.Combine(RepositoryRoot(), "src", "MediaLibrary");
        var declaration = new Regex(@"^public (?:(?:sealed|static|abstract|partial|readonly) )*(?:class|record|enum|interface|struct|delegate [\w<>\[\]?, ]+) (\w+)",
            RegexOptions.Multiline);
        var problems = new List<string>();
        var files = Directory.EnumerateFiles(src, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}Migrations{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                        && !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                        && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .ToList();
        Assert.True(files.Count > 50, $"only {files.Count} source files found under {src}");
        foreach (var file in files)
        {
            var names = declaration.Matches(File.ReadAllText(file)).Select(m => m.Groups[1].Value).ToList();
            var relative = Path.GetRelativePath(src, file);
            if (names.Count > 1) problems.Add($"{relative} declares {string.Join(", ", names)}");
            else if (names.Count == 1 && names[0] != Path.GetFileNameWithoutExtension(file).Split('.')[0] && names[0] != "Program")
                problems.Add($"{relative} declares {names[0]}");
        }
        Assert.True(problems.Count == 0, "One public type a file, in a file of its name:\n" + string.Join("\n", problems));
    }

    private static IEnumerable<TypeReference> ReferencedTypes(Func<TypeDefinition, bool> from)
    {
        using var module = ModuleDefinition.ReadModule(Service.Location);
        var found = new List<TypeReference>();
        foreach (var type in module.GetTypes().Where(t => from(Outermost(t))))
        {
            Add(type.BaseType);
            foreach (var i in type.Interfaces) Add(i.InterfaceType);
            foreach (var f in type.Fields) Add(f.FieldType);
            foreach (var p in type.Properties) Add(p.PropertyType);
            foreach (var m in type.Methods)
            {
                Add(m.ReturnType);
                foreach (var p in m.Parameters) Add(p.ParameterType);
                if (!m.HasBody) continue;
                foreach (var v in m.Body.Variables) Add(v.VariableType);
                foreach (var instruction in m.Body.Instructions)
                {
                    switch (instruction.Operand)
                    {
                        case TypeReference t: Add(t); break;
                        case MemberReference member: Add(member.DeclaringType); break;
                    }
                    if (instruction.Operand is MethodReference method)
                    {
                        Add(method.ReturnType);
                        foreach (var p in method.Parameters) Add(p.ParameterType);
                        if (method is GenericInstanceMethod generic) foreach (var a in generic.GenericArguments) Add(a);
                    }
                    if (instruction.Operand is FieldReference field) Add(field.FieldType);
                }
            }
        }
        return found;

        void Add(TypeReference? t)
        {
            switch (t)
            {
                case null: return;
                case GenericInstanceType g:
                    Add(g.ElementType);
                    foreach (var a in g.GenericArguments) Add(a);
                    return;
                case TypeSpecification s:
                    Add(s.ElementType);
                    return;
                case GenericParameter:
                    return;
                default:
                    found.Add(t.DeclaringType is null ? t : Outermost(t));
                    return;
            }
        }
    }

    private static TypeReference Outermost(TypeReference type)
    {
        while (type.DeclaringType is not null) type = type.DeclaringType;
        return type;
    }

    private static TypeDefinition Outermost(TypeDefinition type)
    {
        while (type.DeclaringType is not null) type = type.DeclaringType;
        return type;
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "MediaLibrary.slnx"))) return dir.FullName;
        throw new InvalidOperationException("MediaLibrary.slnx not found above " + AppContext.BaseDirectory);
    }
}
