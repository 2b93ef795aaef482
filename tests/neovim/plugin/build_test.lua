-- Builds through the plugin's commands, against the real server:
--   :EnvbuilderBuild of a devcontainer workspace: success message, progress, output in the log;
--   :EnvbuilderPush IMAGE to $REGISTRY (plain HTTP): `skopeo inspect` finds what was pushed;
--   a failing RUN: an error message and a BuildFailed diagnostic on its line;
--   :EnvbuilderCancel during a long RUN: the build ends as cancelled.
-- Needs BASE_IMAGES (a directory with the busybox OCI layout of tests/support/base_images.sh),
-- root, and optionally REGISTRY (host:port).
local H = require('helpers')
local w = H.workdir
local base = assert(os.getenv('BASE_IMAGES'), 'BASE_IMAGES not set')
local registry = os.getenv('REGISTRY')
if registry == '' then
  registry = nil
end
local BUILD_MS = tonumber(os.getenv('BUILD_TIMEOUT_MS') or '') or 180000

-- A token that makes each run's RUN lines new to the layer cache.
local token = string.format('%d-%d', os.time(), vim.loop.os_getpid())
local from = 'FROM oci:' .. base .. '/busybox:latest\n'

H.run('plugin builds', function()
  vim.cmd('filetype on')
  vim.cmd('runtime plugin/envbuilder.lua')
  local envbuilder = require('envbuilder')
  local build = require('envbuilder.build')
  local progress = {}
  envbuilder.setup({
    cmd = { H.binary, 'lsp', '--stdio' },
    -- The layer cache in the test's own directory, removed with it.
    settings = { envbuilder = { insecureRegistries = registry and { registry } or nil, cacheDir = w .. '/cache' } },
    progress = function(text)
      table.insert(progress, text)
    end,
  })

  -- The plugin's own report of a build's end (the server's window/showMessage comes as well).
  local endings = { '^envbuilder: built .+: sha256:%x+$', '^envbuilder: pushed ', '^envbuilder: build of .+ failed: ',
    '^envbuilder: build and push of .+ failed: ', '^envbuilder: build.* of .+ cancelled$',
    '^envbuilder: build.* of .+ ended: ' }
  local function wait_done(since, what)
    local done
    H.wait(BUILD_MS, function()
      if build.running() then
        return false
      end
      done = H.find_message(endings, since)
      return done ~= nil
    end)
    if not done then
      H.fail(what, 'no result after ' .. BUILD_MS .. ' ms; messages:\n' .. H.messages_text(since))
    end
    return done
  end

  -- (2) A devcontainer workspace builds.
  H.write(w .. '/ok/.devcontainer/devcontainer.json', '{\n  "build": { "dockerfile": "Dockerfile" }\n}\n')
  H.write(w .. '/ok/.devcontainer/Dockerfile',
    from .. 'RUN echo envbuilder-neovim-output-' .. token .. ' && echo hi > /hello\n')
  local dockerfile = H.edit(w .. '/ok/.devcontainer/Dockerfile')
  H.check(#H.attached(dockerfile) == 1, 'the workspace Dockerfile has a client')
  local since = #H.messages
  vim.cmd('EnvbuilderBuild')
  local started = H.wait_message('^envbuilder: build of .* started', 10000, since)
  H.check(started ~= nil, ':EnvbuilderBuild returns at once and says the build started',
    function() return H.messages_text(since) end)
  local done = wait_done(since, ':EnvbuilderBuild')
  if done then
    H.check(done.message:match('^envbuilder: built .*: sha256:%x+$') and done.level == vim.log.levels.INFO,
      ':EnvbuilderBuild reports the digest', function() return H.messages_text(since) end)
  end
  -- The server's own "built" message is not shown on top of the plugin's.
  vim.wait(1500, function() return false end)
  local digests = 0
  for i = since + 1, #H.messages do
    if H.messages[i].message:match('sha256:') then
      digests = digests + 1
    end
  end
  H.check(digests == 1, 'the end of the build is reported once', function() return H.messages_text(since) end)
  local saw_step = false
  for _, text in ipairs(progress) do
    if text:match('step %d+/%d+') then
      saw_step = true
    end
  end
  H.check(saw_step, 'progress shows the steps', function() return vim.inspect(progress) end)
  local log = table.concat(vim.api.nvim_buf_get_lines(envbuilder.log_buffer(), 0, -1, false), '\n')
  H.check(log:find('envbuilder-neovim-output-' .. token, 1, true) ~= nil, 'RUN output is in the build log',
    function() return log end)

  -- (2b) Build and push to the registry.
  if registry then
    local image = registry .. '/neovim/plugin-test:' .. token
    since = #H.messages
    vim.cmd('EnvbuilderPush ' .. image)
    done = wait_done(since, ':EnvbuilderPush')
    local pushed = done and done.message:match('^envbuilder: pushed (%S+)')
    H.check(pushed and vim.startswith(pushed, image .. '@sha256:'), ':EnvbuilderPush reports the pushed reference',
      function() return H.messages_text(since) end)
    local out = vim.fn.system({ 'skopeo', 'inspect', '--tls-verify=false', 'docker://' .. image })
    local inspected = vim.v.shell_error == 0 and vim.fn.json_decode(out) or nil
    H.check(inspected ~= nil, 'skopeo inspect finds ' .. image, out)
    if inspected and pushed then
      H.check(pushed:match('@(sha256:%x+)$') == inspected.Digest, 'the registry has the reported digest',
        function() return pushed .. ' vs ' .. tostring(inspected.Digest) end)
    end
  else
    io.stdout:write('skip :EnvbuilderPush (REGISTRY not set)\n')
  end

  -- Build & Push with no image named anywhere: the server's refusal is reported.
  since = #H.messages
  vim.cmd('EnvbuilderPush')
  done = wait_done(since, ':EnvbuilderPush without an image')
  H.check(done and done.message:match('^envbuilder: build and push of .+ failed: .*image')
    and done.level == vim.log.levels.ERROR, ':EnvbuilderPush without an image is refused',
    function() return H.messages_text(since) end)

  -- (3) A failing RUN: error message, BuildFailed diagnostic on its line.
  H.write(w .. '/fail/Dockerfile', from .. 'RUN echo before-' .. token .. '\nRUN echo failing-step && exit 3\n')
  local failing = H.edit(w .. '/fail/Dockerfile')
  since = #H.messages
  vim.cmd('EnvbuilderBuild')
  done = wait_done(since, 'failing build')
  H.check(done and done.message:match('^envbuilder: build of .* failed: ') and done.level == vim.log.levels.ERROR,
    'a failing RUN is reported as an error', function() return H.messages_text(since) end)
  local d = H.wait_diagnostic(failing, 'BuildFailed')
  H.check(d and d.lnum == 2 and d.severity == vim.diagnostic.severity.ERROR and d.source == 'envbuilder',
    'BuildFailed error diagnostic on the failing RUN (line 2)',
    function() return vim.inspect(vim.diagnostic.get(failing)) end)

  -- (4) Cancel a long RUN.
  H.write(w .. '/slow/Dockerfile', from .. 'RUN echo slow-' .. token .. ' && sleep 120\n')
  H.edit(w .. '/slow/Dockerfile')
  since = #H.messages
  local from_progress = #progress
  vim.cmd('EnvbuilderBuild')
  local running = H.wait(BUILD_MS, function()
    for i = from_progress + 1, #progress do
      if progress[i]:match('sleep 120') then
        return true
      end
    end
    return not build.running() and H.find_message('started', since) ~= nil
  end)
  H.check(running and build.running(), 'the long RUN is running', function() return vim.inspect(progress) end)
  local t0 = vim.loop.now()
  vim.cmd('EnvbuilderCancel')
  done = H.wait_message('^envbuilder: build of .* cancelled', 30000, since)
  H.check(done and done.level == vim.log.levels.WARN, ':EnvbuilderCancel ends the build as cancelled',
    function() return H.messages_text(since) end)
  H.check(vim.loop.now() - t0 < 30000 and not build.running(), 'cancelled well before the RUN would end')
end)
