namespace FieldTheory.Fluctuations.DeepLinear;

/// <summary>The fields of a linear site: h, g and the response fields rho (conjugate to r) and sigma (conjugate to u).</summary>
internal enum SiteField : byte
{
    H,
    G,
    Rho,
    Sigma,
}

/// <summary>One product coefficient x_i y_j in a site observable.</summary>
internal readonly record struct Monomial(double Coefficient, SiteField X, int I, SiteField Y, int J);

/// <summary>A quadratic site observable: one monomial, or two (the centered prediction subtracts its n = 0 value).</summary>
internal readonly record struct SiteObservable(int Index, Monomial First, Monomial? Second = null);

/// <summary>
/// kappa = Cov_site(O, O) for quadratic observables of one layer's jointly Gaussian fields z = (h, g, rho, sigma)
/// (DESIGN.md 4.5): Cov(x_i y_j, z_k w_m) = &lt;x_i z_k&gt;&lt;y_j w_m&gt; + &lt;x_i w_m&gt;&lt;y_j z_k&gt;, with &lt;hh&gt; = H, &lt;gg&gt; = G,
/// &lt;h g^T&gt; = X, &lt;h rho^T&gt; = dh/dr = gamma0 A, &lt;h sigma^T&gt; = dh/du = M, &lt;g rho^T&gt; = dg/dr = Nn,
/// &lt;g sigma^T&gt; = dg/du = gamma0 B^{l-1}, and &lt;rho rho&gt; = &lt;rho sigma&gt; = &lt;sigma sigma&gt; = 0.
/// </summary>
internal sealed class WickCovariance(LayerSite site, int size, double gamma0)
{
    public double Covariance(in SiteObservable a, in SiteObservable b)
    {
        double sum = Covariance(a.First, b.First);
        if (a.Second is { } a2)
        {
            sum += Covariance(a2, b.First);
        }

        if (b.Second is { } b2)
        {
            sum += Covariance(a.First, b2);
            if (a.Second is { } a3)
            {
                sum += Covariance(a3, b2);
            }
        }

        return sum;
    }

    private double Covariance(Monomial a, Monomial b) =>
        a.Coefficient * b.Coefficient *
        (Field(a.X, a.I, b.X, b.I) * Field(a.Y, a.J, b.Y, b.J) + Field(a.X, a.I, b.Y, b.J) * Field(a.Y, a.J, b.X, b.I));

    /// <summary>&lt;x_i y_j&gt; at the saddle.</summary>
    public double Field(SiteField x, int i, SiteField y, int j) => (x, y) switch
    {
        (SiteField.H, SiteField.H) => site.H[i * size + j],
        (SiteField.G, SiteField.G) => site.G[i * size + j],
        (SiteField.H, SiteField.G) => site.X[i * size + j],
        (SiteField.G, SiteField.H) => site.X[j * size + i],
        (SiteField.H, SiteField.Rho) => gamma0 * site.A[i * size + j],
        (SiteField.Rho, SiteField.H) => gamma0 * site.A[j * size + i],
        (SiteField.H, SiteField.Sigma) => site.M[i * size + j],
        (SiteField.Sigma, SiteField.H) => site.M[j * size + i],
        (SiteField.G, SiteField.Rho) => site.Nn[i * size + j],
        (SiteField.Rho, SiteField.G) => site.Nn[j * size + i],
        (SiteField.G, SiteField.Sigma) => gamma0 * site.BBelow[i * size + j],
        (SiteField.Sigma, SiteField.G) => gamma0 * site.BBelow[j * size + i],
        _ => 0,
    };
}
