using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text;

namespace FieldTheory.Tests.PublicApi;

/// <summary>
/// The public API of an assembly as sorted text, one declaration a line, in the manner of the
/// <c>PublicAPI.Shipped.txt</c> files of Microsoft's PublicApiAnalyzers: every exported type with its kind, base type
/// and interfaces, and every public or protected member with its signature, modifiers and nullable annotations.
/// Members a compiler invents with unspeakable names (<c>&lt;Clone&gt;$</c>) and accessors (listed under their
/// property) are left out.
/// </summary>
internal static class PublicApiListing
{
    private const BindingFlags Declared =
        BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;

    public static string Describe(Assembly assembly)
    {
        var lines = new List<string>();
        foreach (Type type in assembly.GetExportedTypes())
        {
            lines.Add(TypeLine(type));
            lines.AddRange(MemberLines(type));
        }

        lines.Sort(StringComparer.Ordinal);
        return string.Join('\n', lines) + "\n";
    }

    private static string TypeLine(Type type)
    {
        var text = new StringBuilder(TypeKind(type)).Append(' ').Append(Name(type, null));
        var bases = new List<string>();
        if (type.BaseType is { } baseType && baseType != typeof(object) && baseType != typeof(ValueType) && baseType != typeof(Enum))
        {
            bases.Add(Name(baseType, null));
        }

        bases.AddRange(type.GetInterfaces()
            .Where(i => !type.IsEnum)
            .Select(i => Name(i, null))
            .Order(StringComparer.Ordinal));
        if (bases.Count > 0)
        {
            text.Append(" : ").Append(string.Join(", ", bases));
        }

        return text.Append(Constraints(type.IsGenericTypeDefinition ? type.GetGenericArguments() : [])).ToString();
    }

    private static string TypeKind(Type type)
    {
        bool record = type.GetMethod("<Clone>$") is not null || (type.IsValueType && IsRecordStruct(type));
        return type switch
        {
            { IsEnum: true } => "enum",
            { IsInterface: true } => "interface",
            _ when typeof(Delegate).IsAssignableFrom(type) => "delegate",
            { IsValueType: true } => (type.IsDefined(typeof(IsReadOnlyAttribute)) ? "readonly " : string.Empty) + (record ? "record struct" : "struct"),
            { IsAbstract: true, IsSealed: true } => "static class",
            _ => (type.IsAbstract ? "abstract " : type.IsSealed ? "sealed " : string.Empty) + (record ? "record" : "class"),
        };
    }

    // A record struct has a compiler-generated PrintMembers(StringBuilder) method; a plain struct does not.
    private static bool IsRecordStruct(Type type) =>
        type.GetMethod("PrintMembers", Declared, [typeof(StringBuilder)]) is { } m && m.IsDefined(typeof(CompilerGeneratedAttribute));

    private static IEnumerable<string> MemberLines(Type type)
    {
        string owner = Name(type, null);
        var nullability = new NullabilityInfoContext();
        if (type.IsEnum)
        {
            foreach (FieldInfo field in type.GetFields(BindingFlags.Public | BindingFlags.Static))
            {
                yield return $"{owner}.{field.Name} = {Convert.ToInt64(field.GetRawConstantValue(), System.Globalization.CultureInfo.InvariantCulture)}";
            }

            yield break;
        }

        foreach (MemberInfo member in type.GetMembers(Declared).Where(IsVisible))
        {
            if (member.Name.StartsWith('<'))
            {
                continue;
            }

            switch (member)
            {
                case ConstructorInfo constructor:
                    yield return $"{Modifiers(constructor)}{owner}.{(constructor.IsStatic ? ".cctor" : ".ctor")}({Parameters(constructor, nullability)})";
                    break;
                case MethodInfo { IsSpecialName: true } method when !method.Name.StartsWith("op_", StringComparison.Ordinal):
                    break;
                case MethodInfo method:
                    string generic = method.IsGenericMethodDefinition
                        ? "<" + string.Join(", ", method.GetGenericArguments().Select(a => a.Name)) + ">"
                        : string.Empty;
                    string constraints = method.IsGenericMethodDefinition ? Constraints(method.GetGenericArguments()) : string.Empty;
                    yield return $"{Modifiers(method)}{owner}.{method.Name}{generic}({Parameters(method, nullability)}) -> {Name(method.ReturnType, nullability.Create(method.ReturnParameter))}{constraints}";
                    break;
                case PropertyInfo property:
                    string index = property.GetIndexParameters().Length == 0
                        ? string.Empty
                        : "[" + string.Join(", ", property.GetIndexParameters().Select(p => Parameter(p, nullability))) + "]";
                    string accessors = string.Join(", ", new[] { property.GetMethod, property.SetMethod }
                        .Where(a => a is not null && IsVisible(a))
                        .Select(a => a == property.SetMethod && IsInitOnly(a!) ? "init" : a == property.SetMethod ? "set" : "get"));
                    MethodInfo accessor = new[] { property.GetMethod, property.SetMethod }.First(a => a is not null && IsVisible(a))!;
                    yield return $"{Modifiers(accessor)}{owner}.{property.Name}{index} {{ {accessors} }} -> {Name(property.PropertyType, nullability.Create(property))}";
                    break;
                case FieldInfo field:
                    string kind = field.IsLiteral ? "const " : field.IsStatic ? "static " : string.Empty;
                    kind += field.IsInitOnly ? "readonly " : string.Empty;
                    yield return $"{(field.IsFamily || field.IsFamilyOrAssembly ? "protected " : string.Empty)}{kind}{owner}.{field.Name} -> {Name(field.FieldType, nullability.Create(field))}";
                    break;
                case EventInfo @event:
                    yield return $"{owner}.{@event.Name} (event) -> {Name(@event.EventHandlerType!, nullability.Create(@event))}";
                    break;
                case Type:
                    break; // nested types are listed on their own
            }
        }
    }

    private static bool IsVisible(MemberInfo member) => member switch
    {
        MethodBase m => m.IsPublic || m.IsFamily || m.IsFamilyOrAssembly,
        FieldInfo f => f.IsPublic || f.IsFamily || f.IsFamilyOrAssembly,
        PropertyInfo p => new[] { p.GetMethod, p.SetMethod }.Any(a => a is not null && IsVisible(a)),
        EventInfo e => e.AddMethod is { } add && IsVisible(add),
        _ => false,
    };

    private static bool IsInitOnly(MethodInfo setter) =>
        setter.ReturnParameter.GetRequiredCustomModifiers().Contains(typeof(IsExternalInit));

    private static string Modifiers(MethodBase method)
    {
        var text = new StringBuilder();
        if (method.IsFamily || method.IsFamilyOrAssembly)
        {
            text.Append("protected ");
        }

        if (method.IsStatic)
        {
            text.Append("static ");
        }
        else if (!method.DeclaringType!.IsInterface) // interface members are abstract by definition
        {
            text.Append(
                method.IsAbstract ? "abstract "
                : method is MethodInfo info && info.GetBaseDefinition() != info ? "override "
                : method.IsVirtual && !method.IsFinal ? "virtual "
                : string.Empty);
        }

        return text.ToString();
    }

    private static string Parameters(MethodBase method, NullabilityInfoContext nullability) =>
        string.Join(", ", method.GetParameters().Select(p => Parameter(p, nullability)));

    private static string Parameter(ParameterInfo parameter, NullabilityInfoContext nullability)
    {
        Type type = parameter.ParameterType;
        string prefix = string.Empty;
        if (type.IsByRef)
        {
            prefix = parameter.IsOut ? "out " : parameter.IsIn ? "in " : "ref ";
            type = type.GetElementType()!;
        }
        else if (parameter.IsDefined(typeof(ParamArrayAttribute)))
        {
            prefix = "params ";
        }

        string text = $"{prefix}{Name(type, nullability.Create(parameter))} {parameter.Name}";
        return parameter.HasDefaultValue ? text + " = " + DefaultValue(parameter.DefaultValue) : text;
    }

    private static string DefaultValue(object? value) => value switch
    {
        null => "null",
        string s => "\"" + s + "\"",
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, System.Globalization.CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "null",
    };

    private static string Constraints(Type[] genericArguments)
    {
        var text = new StringBuilder();
        foreach (Type argument in genericArguments)
        {
            var constraints = new List<string>();
            GenericParameterAttributes flags = argument.GenericParameterAttributes;
            if (flags.HasFlag(GenericParameterAttributes.NotNullableValueTypeConstraint))
            {
                constraints.Add("struct");
            }
            else if (flags.HasFlag(GenericParameterAttributes.ReferenceTypeConstraint))
            {
                constraints.Add("class");
            }

            constraints.AddRange(argument.GetGenericParameterConstraints()
                .Where(c => c != typeof(ValueType))
                .Select(c => Name(c, null)));
            if (flags.HasFlag(GenericParameterAttributes.DefaultConstructorConstraint) && !flags.HasFlag(GenericParameterAttributes.NotNullableValueTypeConstraint))
            {
                constraints.Add("new()");
            }

            if (constraints.Count > 0)
            {
                text.Append(" where ").Append(argument.Name).Append(" : ").Append(string.Join(", ", constraints));
            }
        }

        return text.ToString();
    }

    private static readonly Dictionary<Type, string> Keywords = new()
    {
        [typeof(void)] = "void",
        [typeof(object)] = "object",
        [typeof(string)] = "string",
        [typeof(bool)] = "bool",
        [typeof(byte)] = "byte",
        [typeof(int)] = "int",
        [typeof(long)] = "long",
        [typeof(ulong)] = "ulong",
        [typeof(double)] = "double",
    };

    /// <summary>A C#-like name: keywords, generic arguments, arrays, tuples and <c>?</c> where the type is nullable.</summary>
    private static string Name(Type type, NullabilityInfo? nullability)
    {
        string nullable = nullability?.ReadState == NullabilityState.Nullable && !type.IsValueType ? "?" : string.Empty;
        if (Nullable.GetUnderlyingType(type) is { } underlying)
        {
            return Name(underlying, nullability?.GenericTypeArguments.FirstOrDefault()) + "?";
        }

        if (type.IsArray)
        {
            string rank = "[" + new string(',', type.GetArrayRank() - 1) + "]";
            return Name(type.GetElementType()!, nullability?.ElementType) + rank + nullable;
        }

        if (type.IsGenericParameter)
        {
            return type.Name; // reflection reports unconstrained type parameters as nullable whether or not they are annotated
        }

        if (Keywords.TryGetValue(type, out string? keyword))
        {
            return keyword + nullable;
        }

        Type[] arguments = type.GetGenericArguments();
        if (type.IsGenericType && type.FullName?.StartsWith("System.ValueTuple`", StringComparison.Ordinal) == true)
        {
            return "(" + string.Join(", ", arguments.Select((a, i) => Name(a, ArgumentNullability(nullability, i)))) + ")" + nullable;
        }

        string name = type.IsNested ? Name(type.DeclaringType!, null) + "." + type.Name : type.Namespace + "." + type.Name;
        int tick = name.IndexOf('`', StringComparison.Ordinal);
        if (tick >= 0)
        {
            name = name[..tick];
        }

        int declaringArguments = type.IsNested ? type.DeclaringType!.GetGenericArguments().Length : 0;
        Type[] own = arguments[declaringArguments..];
        if (own.Length > 0)
        {
            name += "<" + string.Join(", ", own.Select((a, i) => Name(a, ArgumentNullability(nullability, declaringArguments + i)))) + ">";
        }

        return name + nullable;
    }

    private static NullabilityInfo? ArgumentNullability(NullabilityInfo? nullability, int index) =>
        nullability is not null && index < nullability.GenericTypeArguments.Length ? nullability.GenericTypeArguments[index] : null;
}
