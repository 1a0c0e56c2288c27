namespace FieldTheory;

/// <summary>
/// Marks the nonlinearity phi of a <see cref="NetworkAttribute"/> model: a static method <c>double Name(double h)</c>
/// whose body is one expression (expression-bodied or a single <c>return</c>). Supported: numbers, <c>h</c>,
/// <c>+ - * /</c>, <c>Math.Pow</c> with a constant exponent, <c>Math.Exp/Log/Sqrt/Tanh/Sin/Cos/Abs/Max/Min</c>,
/// <see cref="SpecialFunctions.Erf"/>, comparisons with <c>?:</c>, and named <c>const double</c> fields.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class ActivationAttribute : Attribute
{
}
