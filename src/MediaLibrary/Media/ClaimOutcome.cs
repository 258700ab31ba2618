namespace MediaLibrary.Media;

/// <summary>What claiming a render found: the version gone, the render done, the right to render, or another render under way.</summary>
public enum ClaimOutcome { Gone, Ready, Claimed, Busy }
