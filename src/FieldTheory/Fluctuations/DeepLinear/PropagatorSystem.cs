namespace FieldTheory.Fluctuations.DeepLinear;

/// <summary>
/// Fills the two blocks of the Hessian of DESIGN.md 4.5 that come from the sites: kappa (block diagonal in layers, by
/// Wick's theorem) and I - D (D = d&lt;O&gt;/dq at fixed q^: columns for H^{l-1}, G^{l+1} and f only, each column one
/// exact tangent of the layer recursion).
/// </summary>
internal sealed class PropagatorSystem(OrderParameterLayout layout, DeepLinearSaddle saddle, double gamma0, int predictionLayer, bool centered)
{
    private readonly int _size = layout.Size;

    /// <summary>Cov_site(O, O), dense Dimension x Dimension row-major.</summary>
    public double[] Kappa()
    {
        int dim = layout.Dimension;
        var kappa = new double[(long)dim * dim];
        for (int l = 1; l <= layout.Layers; l++)
        {
            var wick = new WickCovariance(saddle.Sites[l - 1], _size, gamma0);
            SiteObservable[] observables = Observables(l);
            for (int p = 0; p < observables.Length; p++)
            {
                for (int r = p; r < observables.Length; r++)
                {
                    double value = wick.Covariance(observables[p], observables[r]);
                    kappa[(long)observables[p].Index * dim + observables[r].Index] = value;
                    kappa[(long)observables[r].Index * dim + observables[p].Index] = value;
                }
            }
        }

        return kappa;
    }

    /// <summary>I - D, dense Dimension x Dimension row-major.</summary>
    public double[] IdentityMinusSensitivity()
    {
        int dim = layout.Dimension;
        var system = new double[(long)dim * dim];
        for (int k = 0; k < dim; k++)
        {
            system[(long)k * dim + k] = 1;
        }

        for (int l = 1; l <= layout.Layers; l++)
        {
            LayerSite site = saddle.Sites[l - 1];
            if (l > 1)
            {
                ForEachPair((a, b, direction) =>
                    WriteColumn(system, l, layout.Feature(l - 1, a, b), site.Tangent(direction, null, null)));
            }

            if (l < layout.Layers)
            {
                ForEachPair((a, b, direction) =>
                    WriteColumn(system, l, layout.Gradient(l + 1, a, b), site.Tangent(null, direction, null)));
            }

            for (int j = 0; j < _size; j++)
            {
                // q holds f and Delta = y - f, so a unit change of f(j) is dDelta(j) = -1.
                var dDelta = new double[_size];
                dDelta[j] = -1;
                WriteColumn(system, l, layout.Prediction(j), site.Tangent(null, null, dDelta));
            }
        }

        return system;
    }

    private void ForEachPair(Action<int, int, double[]> action)
    {
        var direction = new double[_size * _size];
        for (int a = 0; a < _size; a++)
        {
            for (int b = a; b < _size; b++)
            {
                direction[a * _size + b] = 1;
                direction[b * _size + a] = 1;
                action(a, b, direction);
                direction[a * _size + b] = 0;
                direction[b * _size + a] = 0;
            }
        }
    }

    // Column `column` of -D restricted to the rows of layer l's observables.
    private void WriteColumn(double[] system, int l, int column, LayerTangent tangent)
    {
        int dim = layout.Dimension;
        int s = _size;
        for (int a = 0; a < s; a++)
        {
            for (int b = a; b < s; b++)
            {
                system[(long)layout.Feature(l, a, b) * dim + column] -= tangent.H[a * s + b];
                system[(long)layout.Gradient(l, a, b) * dim + column] -= tangent.G[a * s + b];
            }
        }

        for (int n = 0; n < s; n++)
        {
            for (int m = 0; m < s; m++)
            {
                // Q^l(n, m) = gamma0 A^l(n, m); P^l(n, m) = gamma0 B^{l-1}(m, n) (DESIGN.md 4.5).
                if (layout.HasQ(l))
                {
                    system[(long)layout.ResponseQ(l, n, m) * dim + column] -= gamma0 * tangent.A[n * s + m];
                }

                if (layout.HasP(l))
                {
                    system[(long)layout.ResponseP(l, n, m) * dim + column] -= gamma0 * tangent.BBelow[m * s + n];
                }
            }
        }

        if (l == predictionLayer)
        {
            for (int i = 0; i < s; i++)
            {
                double value = tangent.XDiagonal[i] / gamma0;
                if (centered)
                {
                    value -= tangent.XDiagonal[i % layout.Points] / gamma0;
                }

                system[(long)layout.Prediction(i) * dim + column] -= value;
            }
        }
    }

    private SiteObservable[] Observables(int l)
    {
        int s = _size;
        var list = new List<SiteObservable>();
        for (int a = 0; a < s; a++)
        {
            for (int b = a; b < s; b++)
            {
                list.Add(new SiteObservable(layout.Feature(l, a, b), new Monomial(1, SiteField.H, a, SiteField.H, b)));
                list.Add(new SiteObservable(layout.Gradient(l, a, b), new Monomial(1, SiteField.G, a, SiteField.G, b)));
            }
        }

        for (int n = 0; n < s; n++)
        {
            for (int m = 0; m < s; m++)
            {
                if (layout.HasQ(l))
                {
                    list.Add(new SiteObservable(layout.ResponseQ(l, n, m), new Monomial(1, SiteField.H, n, SiteField.Rho, m)));
                }

                if (layout.HasP(l))
                {
                    list.Add(new SiteObservable(layout.ResponseP(l, n, m), new Monomial(1, SiteField.Sigma, n, SiteField.G, m)));
                }
            }
        }

        if (l == predictionLayer)
        {
            for (int i = 0; i < s; i++)
            {
                var current = new Monomial(1 / gamma0, SiteField.H, i, SiteField.G, i);
                int i0 = i % layout.Points;
                list.Add(centered
                    ? new SiteObservable(layout.Prediction(i), current, new Monomial(-1 / gamma0, SiteField.H, i0, SiteField.G, i0))
                    : new SiteObservable(layout.Prediction(i), current));
            }
        }

        return [.. list];
    }
}
