using System.Reflection;
using System.Reflection.Emit;
using TorchSharp;

namespace MLNetFlows.Estimators.Tests.Runtime;

/// <summary>
/// Finds, in compiled code, the calls that make TorchSharp create a temporary <see cref="Scalar"/>: an implicit
/// conversion of a number to <see cref="Scalar"/>, <c>ToScalar</c>, or a call to a TorchSharp method that does either
/// itself or through the TorchSharp methods it calls (e.g. <c>a + b</c> on two tensors, which passes <c>alpha = 1</c>).
/// Reads method bodies' IL through reflection. A virtual call is followed to the method named in the IL and to its
/// overrides in every TorchSharp type the scanned assembly mentions (as a field's type or the type a call returns or
/// constructs): <c>optimizer.step()</c> reaches <c>Adam.step</c>, <c>module.call(x)</c> reaches <c>BatchNorm.forward</c>.
/// </summary>
internal sealed class TemporaryScalarScan
{
    private static readonly Dictionary<short, OpCode> OpCodesByValue = typeof(OpCodes).GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null)!).ToDictionary(o => o.Value);

    private const BindingFlags Declared = BindingFlags.DeclaredOnly | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static;

    private readonly Assembly _torchSharp = typeof(Scalar).Assembly;
    private readonly Dictionary<MethodBase, bool> _creates = [];
    private HashSet<Type> _mentioned = [];

    /// <summary>Every call site in <paramref name="assembly"/> that creates a temporary scalar, as "Type::Method → callee", except in <paramref name="exempt"/>.</summary>
    public IReadOnlyList<string> Find(Assembly assembly, Type exempt)
    {
        var methods = assembly.GetTypes()
            .Where(t => t != exempt && t.DeclaringType != exempt)
            .SelectMany(t => t.GetMethods(Declared).Cast<MethodBase>().Concat(t.GetConstructors(Declared)).Select(m => (Type: t, Method: m)))
            .ToList();
        _mentioned = MentionedTorchSharpTypes(assembly, methods.Select(x => x.Method));
        _creates.Clear();
        return methods
            .SelectMany(x => Callees(x.Method).SelectMany(WithOverrides).Where(CreatesScalar)
                .Select(c => $"{x.Type.FullName}::{x.Method.Name} → {c.DeclaringType?.Name}.{c.Name}({string.Join(", ", c.GetParameters().Select(p => p.ParameterType.Name))})"))
            .Distinct()
            .Order(StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>
    /// The TorchSharp types that <paramref name="assembly"/>'s fields, parameters and local variables hold and its calls
    /// return or construct.
    /// </summary>
    private HashSet<Type> MentionedTorchSharpTypes(Assembly assembly, IEnumerable<MethodBase> methods)
    {
        var list = methods.ToList();
        var fields = assembly.GetTypes().SelectMany(t => t.GetFields(Declared)).Select(f => f.FieldType);
        var parameters = list.SelectMany(m => m.GetParameters()).Select(p => p.ParameterType);
        var locals = list.SelectMany(m => m.GetMethodBody()?.LocalVariables ?? []).Select(v => v.LocalType);
        var calls = list.SelectMany(Callees).Select(c => c is MethodInfo m ? m.ReturnType : c.DeclaringType!);
        return fields.Concat(parameters).Concat(locals).Concat(calls).Where(t => t.Assembly == _torchSharp).ToHashSet();
    }

    /// <summary><paramref name="callee"/> and, when it is virtual, its overrides in the mentioned types and their bases.</summary>
    private IEnumerable<MethodBase> WithOverrides(MethodBase callee)
    {
        yield return callee;
        if (callee is not MethodInfo { IsVirtual: true, IsFinal: false } method)
        {
            yield break;
        }

        var definition = method.GetBaseDefinition();
        foreach (var type in _mentioned)
        {
            for (var t = type; t is not null && t.Assembly == method.DeclaringType!.Assembly; t = t.BaseType)
            {
                var found = t.GetMethods(Declared).FirstOrDefault(m => m != method && m.GetBaseDefinition() == definition);
                if (found is not null)
                {
                    yield return found;
                }
            }
        }
    }

    private bool CreatesScalar(MethodBase method)
    {
        if (method.DeclaringType?.Assembly != _torchSharp)
        {
            return false;
        }

        if ((method.DeclaringType == typeof(Scalar) && method.Name == "op_Implicit") || method.Name.StartsWith("ToScalar", StringComparison.Ordinal))
        {
            return true;
        }

        if (_creates.TryGetValue(method, out var creates))
        {
            return creates;
        }

        _creates[method] = false; // recursion guard
        creates = Callees(method).SelectMany(WithOverrides).Any(CreatesScalar);
        _creates[method] = creates;
        return creates;
    }

    /// <summary>The methods <paramref name="method"/>'s IL calls, constructs or takes the address of.</summary>
    private static IEnumerable<MethodBase> Callees(MethodBase method)
    {
        var il = method.GetMethodBody()?.GetILAsByteArray();
        if (il is null)
        {
            yield break;
        }

        var typeArguments = method.DeclaringType is { IsGenericType: true } t ? t.GetGenericArguments() : null;
        var methodArguments = method.IsGenericMethod ? method.GetGenericArguments() : null;
        var offset = 0;
        while (offset < il.Length)
        {
            short value = il[offset];
            if (value == 0xFE)
            {
                value = (short)(0xFE00 | il[offset + 1]);
                offset++;
            }

            offset++;
            var opCode = OpCodesByValue[value];
            if (opCode.OperandType == OperandType.InlineMethod)
            {
                var callee = Resolve(method.Module, BitConverter.ToInt32(il, offset), typeArguments, methodArguments);
                if (callee is not null)
                {
                    yield return callee;
                }
            }

            offset += opCode.OperandType switch
            {
                OperandType.InlineNone => 0,
                OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
                OperandType.InlineVar => 2,
                OperandType.InlineI8 or OperandType.InlineR => 8,
                OperandType.InlineSwitch => 4 + (4 * BitConverter.ToInt32(il, offset)),
                _ => 4,
            };
        }
    }

    private static MethodBase? Resolve(Module module, int token, Type[]? typeArguments, Type[]? methodArguments)
    {
        try
        {
            return module.ResolveMethod(token, typeArguments, methodArguments);
        }
        catch (ArgumentException)
        {
            return null; // a generic method's token without its instantiation: nothing of TorchSharp's is reached this way
        }
    }
}
