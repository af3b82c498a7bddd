using System.Buffers.Binary;
using System.Text;

namespace MLExtensions.Native;

/// <summary>
/// The dynamic-linking facts of a 64-bit little-endian ELF shared library that the native runtime needs: the libraries it
/// needs (<c>DT_NEEDED</c>), the symbol versions it asks of them (<c>.gnu.version_r</c>), the versions it defines
/// (<c>.gnu.version_d</c>), and which symbols of a version are relocated against. It can also mark a needed version weak
/// (<c>VER_FLG_WEAK</c>), which tells the dynamic linker not to refuse the library when that version is missing.
/// </summary>
internal sealed class ElfImage
{
    private const uint ShtRela = 4, ShtDynamic = 6, ShtRel = 9, ShtDynSym = 11;
    private const uint ShtGnuVerdef = 0x6ffffffd, ShtGnuVerneed = 0x6ffffffe, ShtGnuVersym = 0x6fffffff;
    private const ushort VerFlagWeak = 0x2;

    private readonly byte[] _image;
    private readonly List<Section> _sections = [];

    /// <summary>A symbol version the library asks of one of its needed libraries.</summary>
    /// <param name="Library">The needed library's name, e.g. <c>libstdc++.so.6</c>.</param>
    /// <param name="Name">The version, e.g. <c>GLIBCXX_3.4.32</c>.</param>
    /// <param name="Index">The version index that the symbol version table uses for it.</param>
    /// <param name="IsWeak">Whether it is already marked weak.</param>
    /// <param name="FlagsOffset">Where its flags are in the file.</param>
    public sealed record VersionNeed(string Library, string Name, int Index, bool IsWeak, int FlagsOffset);

    private readonly record struct Section(uint Type, long Offset, long Size, int Link, long EntrySize);

    private ElfImage(byte[] image)
    {
        _image = image;
        if (image.Length < 64 || image[0] != 0x7f || image[1] != 'E' || image[2] != 'L' || image[3] != 'F')
            throw new InvalidDataException("Not an ELF file.");
        if (image[4] != 2 || image[5] != 1)
            throw new InvalidDataException("Only 64-bit little-endian ELF files are supported.");
        long sectionTable = I64(0x28);
        int entrySize = U16(0x3A), count = U16(0x3C);
        if (sectionTable <= 0 || entrySize < 64 || sectionTable + (long)entrySize * count > image.Length)
            throw new InvalidDataException("The ELF file has no readable section table.");
        for (int s = 0; s < count; s++)
        {
            int at = checked((int)(sectionTable + (long)s * entrySize));
            _sections.Add(new Section(U32(at + 4), I64(at + 0x18), I64(at + 0x20), (int)U32(at + 0x28), I64(at + 0x38)));
        }
        NeededLibraries = ReadNeeded();
        VersionNeeds = ReadVersionNeeds();
        VersionDefinitions = ReadVersionDefinitions();
    }

    /// <summary>Reads the dynamic-linking tables of <paramref name="image"/>.</summary>
    public static ElfImage Parse(byte[] image) => new(image);

    /// <summary>The file's bytes (patches change them in place).</summary>
    public byte[] Bytes => _image;

    /// <summary>The <c>DT_NEEDED</c> entries, in the file's order.</summary>
    public IReadOnlyList<string> NeededLibraries { get; }

    /// <summary>Every version the library needs, with the library that should define it.</summary>
    public IReadOnlyList<VersionNeed> VersionNeeds { get; }

    /// <summary>The versions the library itself defines (a C++ runtime's <c>GLIBCXX_3.4.30</c> and so on).</summary>
    public IReadOnlySet<string> VersionDefinitions { get; }

    /// <summary>The dynamic symbols bound to <paramref name="need"/>, and whether any relocation refers to each.</summary>
    public IReadOnlyList<(string Symbol, bool Relocated)> SymbolsOf(VersionNeed need)
    {
        var dynsymIndex = _sections.FindIndex(s => s.Type == ShtDynSym);
        var versym = _sections.FirstOrDefault(s => s.Type == ShtGnuVersym);
        if (dynsymIndex < 0 || versym.Size == 0)
            return [];
        var dynsym = _sections[dynsymIndex];
        long strings = _sections[dynsym.Link].Offset;
        int symbolCount = (int)(dynsym.Size / 24);

        var relocated = new HashSet<int>();
        foreach (var rel in _sections.Where(s => (s.Type == ShtRela || s.Type == ShtRel) && s.Link == dynsymIndex))
        {
            int entry = rel.Type == ShtRela ? 24 : 16;
            for (long at = rel.Offset; at + entry <= rel.Offset + rel.Size; at += entry)
                relocated.Add((int)(BinaryPrimitives.ReadUInt64LittleEndian(_image.AsSpan((int)at + 8)) >> 32));
        }

        var result = new List<(string, bool)>();
        for (int i = 1; i < symbolCount; i++)
        {
            int version = U16((int)(versym.Offset + 2L * i)) & 0x7fff;
            if (version == need.Index)
                result.Add((CString(strings + U32((int)(dynsym.Offset + 24L * i))), relocated.Contains(i)));
        }
        return result;
    }

    /// <summary>Marks the named needed versions weak. Returns whether anything changed.</summary>
    public bool MarkWeak(IEnumerable<VersionNeed> needs)
    {
        bool changed = false;
        foreach (var need in needs.Where(n => !n.IsWeak))
        {
            ushort flags = (ushort)(U16(need.FlagsOffset) | VerFlagWeak);
            BinaryPrimitives.WriteUInt16LittleEndian(_image.AsSpan(need.FlagsOffset), flags);
            changed = true;
        }
        return changed;
    }

    private List<string> ReadNeeded()
    {
        var names = new List<string>();
        foreach (var dynamic in _sections.Where(s => s.Type == ShtDynamic))
        {
            long strings = _sections[dynamic.Link].Offset;
            for (long at = dynamic.Offset; at + 16 <= dynamic.Offset + dynamic.Size; at += 16)
            {
                long tag = I64((int)at);
                if (tag == 0)
                    break;
                if (tag == 1) // DT_NEEDED
                    names.Add(CString(strings + I64((int)at + 8)));
            }
        }
        return names;
    }

    private List<VersionNeed> ReadVersionNeeds()
    {
        var needs = new List<VersionNeed>();
        foreach (var section in _sections.Where(s => s.Type == ShtGnuVerneed))
        {
            long strings = _sections[section.Link].Offset;
            long entry = section.Offset;
            while (true)
            {
                int auxCount = U16((int)entry + 2);
                string library = CString(strings + U32((int)entry + 4));
                long aux = entry + U32((int)entry + 8);
                for (int a = 0; a < auxCount; a++)
                {
                    int flags = U16((int)aux + 4);
                    needs.Add(new VersionNeed(library, CString(strings + U32((int)aux + 8)), U16((int)aux + 6) & 0x7fff,
                        (flags & VerFlagWeak) != 0, (int)aux + 4));
                    uint nextAux = U32((int)aux + 12);
                    if (nextAux == 0)
                        break;
                    aux += nextAux;
                }
                uint next = U32((int)entry + 12);
                if (next == 0)
                    break;
                entry += next;
            }
        }
        return needs;
    }

    private HashSet<string> ReadVersionDefinitions()
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var section in _sections.Where(s => s.Type == ShtGnuVerdef))
        {
            long strings = _sections[section.Link].Offset;
            long entry = section.Offset;
            while (true)
            {
                // The first auxiliary entry names the version; later ones name its parents.
                if (U16((int)entry + 6) > 0)
                    names.Add(CString(strings + U32((int)(entry + U32((int)entry + 12)))));
                uint next = U32((int)entry + 16);
                if (next == 0)
                    break;
                entry += next;
            }
        }
        return names;
    }

    private string CString(long at)
    {
        int start = checked((int)at), end = start;
        while (end < _image.Length && _image[end] != 0)
            end++;
        return Encoding.ASCII.GetString(_image, start, end - start);
    }

    private ushort U16(int at) => BinaryPrimitives.ReadUInt16LittleEndian(_image.AsSpan(at));

    private uint U32(int at) => BinaryPrimitives.ReadUInt32LittleEndian(_image.AsSpan(at));

    private long I64(int at) => BinaryPrimitives.ReadInt64LittleEndian(_image.AsSpan(at));
}
